"""The ``discern`` command: thin Typer sub-commands over library calls. Only this module prints."""

from __future__ import annotations

import json
import logging
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from .errors import DiscernError, ReadError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="discernment: who claims what, where, when and on whose authority, in war news.")
eval_app = typer.Typer(no_args_is_help=True, help="Score the models on public benchmarks.")
train_app = typer.Typer(no_args_is_help=True, help="Train the shipped models.")
app.add_typer(eval_app, name="eval")
app.add_typer(train_app, name="train")


class Format(str, Enum):
    jsonl = "jsonl"
    json = "json"
    text = "text"


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _config(config_file: Optional[Path], overrides: List[str]):
    from .config import Config

    try:
        return Config.load(config_file, overrides)
    except DiscernError as err:
        _err(f"discern: {err}")
        raise typer.Exit(2) from None


ConfigOpt = typer.Option(None, "--config", "-c", help="A TOML settings file (overrides the defaults).")
SetOpt = typer.Option([], "--set", help="Override one setting: section.key=value (TOML value). Repeatable.")


@app.command()
def analyze(
    paths: List[str] = typer.Argument(..., help="Files, directories, feed URLs, or - for standard input."),
    published: Optional[str] = typer.Option(None, help="Publication date YYYY-MM-DD for plain-text inputs."),
    outlet: Optional[str] = typer.Option(None, help="Outlet name for inputs that do not carry one."),
    url: Optional[str] = typer.Option(None, help="URL for inputs that do not carry one."),
    format: Optional[Format] = typer.Option(None, "--format", "-f",
                                            help="jsonl (default when piped), json, or text (default on a terminal)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o",
                                          help="Write the JSONL to this file and print a readable summary."),
    control_map: Optional[str] = typer.Option(None, "--control-map", help="Judge territorial claims against "
                                              "dated control maps: a store with imported maps (as --db takes it) "
                                              "or a folder or file of map snapshots (docs/control-maps.md)."),
    config_file: Optional[Path] = ConfigOpt,
    overrides: List[str] = SetOpt,
) -> None:
    """Analyse articles and print one JSON document per article (see CONTRACT.md)."""
    from .ingest import ReadOptions
    from .ingest.base import date_option

    published = date_option(published)
    config = _config(config_file, overrides)
    fmt = format or (Format.text if sys.stdout.isatty() or output else Format.jsonl)
    if output and format and format != Format.text:
        fmt = format
    options = ReadOptions.from_config(config, published=published, outlet=outlet, url=url)
    stdin = sys.stdin.buffer.read() if "-" in paths else None
    from .render import Summary
    from .runner import RunStats, analyze_inputs

    judge, cleanup = _map_judge(control_map, config) if control_map else (None, None)
    analyzer = _build_analyzer(config)
    stats = RunStats()
    out_file = output.open("w", encoding="utf-8") if output else None
    summary = Summary(sys.stdout) if fmt == Format.text else None
    collected = []
    pending: list = []  # with a control map, documents are judged in groups: each map is read once per group

    def flush() -> None:
        if judge is not None:
            judge.annotate([d for _, d in pending])
        for item, data in pending:
            line = json.dumps(data, ensure_ascii=False)
            if out_file:
                out_file.write(line + "\n")
            if summary:
                summary.document(item)
            elif fmt == Format.json:
                collected.append(data)
            elif not out_file or format == Format.jsonl:
                sys.stdout.write(line + "\n")
                sys.stdout.flush()
        pending.clear()

    try:
        for item in analyze_inputs(paths, analyzer, options, stdin=stdin, stats=stats):
            if isinstance(item, ReadError):
                _err(f"discern: error: {item.path}: {item.reason} [{item.code}]")
                continue
            pending.append((item, item.to_dict()))
            if judge is None or len(pending) >= 32:
                flush()
        flush()
    finally:
        if out_file:
            out_file.close()
        if cleanup:
            cleanup()
    if fmt == Format.json:
        json.dump(collected, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    if summary:
        summary.totals(stats, output)
    _err(f"discern: {stats.documents} analysed, {stats.failed} failed, {stats.duplicates} duplicates")
    raise typer.Exit(1 if stats.failed else 0)


def _map_judge(source: str, config):
    """The MapJudge for ``--control-map``: a folder or file of snapshots is imported into a temporary store (bad
    files are reported, E113); anything else is opened as a store and must hold imported maps. Returns the judge
    and what cleans up after it."""
    import tempfile

    from .analysis.verdicts import MapJudge
    from .cli_store import open_store
    from .maps import MapSettings, MapStore
    from .store import Store

    settings = MapSettings.from_config(config)
    path = Path(source)
    if path.is_dir() or (path.is_file() and path.suffix.lower() in (".geojson", ".json")):
        tmp = tempfile.TemporaryDirectory(prefix="discern-maps-")
        store = Store(f"sqlite:///{Path(tmp.name) / 'maps.db'}")
        maps = MapStore(store, settings)
        stats = maps.import_paths(path.stem or "map", [str(path)], on_error=lambda err: _err(
            f"discern: error: {err.path}: {err.reason} [{err.code}]"))
        if not stats.snapshots:
            store.close()
            tmp.cleanup()
            _err(f"discern: --control-map {source}: no map snapshot could be read")
            raise typer.Exit(2)

        def cleanup() -> None:
            store.close()
            tmp.cleanup()

        return MapJudge(maps, config), cleanup
    store = open_store(source, create=False)
    maps = MapStore(store, settings)
    if not maps.layer_names():
        _err(f"discern: --control-map {store.shown_url}: the store holds no control maps "
             "(import them with `discern maps import PATH --name NAME --db STORE`)")
        raise typer.Exit(2)
    return MapJudge(maps, config), store.close


def _build_analyzer(config):
    from .api import Analyzer

    try:
        return Analyzer(config)
    except DiscernError as err:
        _err(f"discern: {err}")
        raise typer.Exit(2) from None


@app.command()
def components() -> None:
    """List the registered pipeline components and readers."""
    from . import (
        extract,  # noqa: F401
        ingest,  # noqa: F401
        registry,
    )

    for name in registry.components.names():
        typer.echo(f"component  {name}")
    for name in registry.readers.names():
        typer.echo(f"reader     {name}")


@app.command()
def version() -> None:
    """Print the version."""
    from . import __version__

    typer.echo(__version__)


def main() -> None:
    from . import (
        cli_batch,  # noqa: F401  (registers discern batch)
        cli_maps,  # noqa: F401  (registers discern maps import/list)
        cli_store,  # noqa: F401  (registers the store commands)
        cli_tools,  # noqa: F401  (registers eval, train, export, gazetteer)
        cli_watch,  # noqa: F401  (registers discern watch)
        cli_web,  # noqa: F401  (registers discern serve)
    )

    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="discern: %(name)s: %(message)s")
    # trafilatura logs every page it cannot use at WARNING; the readers already report those as E108.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    # A shell that closed standard output or input (`discern claims >&-`) leaves Python None there: writing
    # then says so plainly instead of raising AttributeError from deep inside.
    if sys.stdout is None:
        sys.stdout = _Closed("standard output")
    if sys.stdin is None:
        sys.stdin = _Closed("standard input")
    try:
        app()
    except DiscernError as err:
        _err(f"discern: {err}")
        sys.exit(2)
    except KeyboardInterrupt:
        _err("discern: interrupted")
        sys.exit(130)
    except BrokenPipeError:  # `discern claims | head`: the reader has what it wanted
        _silence_stdout()
        sys.exit(141)
    except OSError as err:  # a closed stream, an output path that is a directory, a full disk
        _err(f"discern: {_os_reason(err)}")
        sys.exit(2)
    except Exception as err:
        from sqlalchemy.exc import SQLAlchemyError

        if not isinstance(err, SQLAlchemyError):
            raise
        from .store.store import redact_url

        reason = str(getattr(err, "orig", None) or err).splitlines()[0]
        _err(f"discern: store error: {type(err).__name__}: {redact_url(reason)}")
        sys.exit(2)


class _Closed:
    """Stands in for a standard stream the shell closed; any use raises a clear OSError."""

    def __init__(self, name: str):
        self.name = name

    def __getattr__(self, attr):
        if attr == "isatty":
            return lambda: False
        if attr in ("flush", "close"):  # the interpreter flushes the streams on exit
            return lambda: None
        import errno

        raise OSError(errno.EBADF, f"{self.name} is closed", "-")

    def __bool__(self) -> bool:
        return True


def _silence_stdout() -> None:
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _os_reason(err: OSError) -> str:
    if err.filename in ("-", None) and err.strerror:
        hint = "; write to a file with -o FILE" if "output" in err.strerror else ""
        return f"{err.strerror}{hint}"
    where = f"{err.filename}: " if err.filename else ""
    return f"{where}{err.strerror or err}"
