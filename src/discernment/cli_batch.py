"""``discern batch``: a thin wrapper over :func:`discernment.batch.run_batch` with a progress bar."""

from __future__ import annotations

import logging
import sys
import time
from concurrent.futures.process import BrokenProcessPool
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from .cli import ConfigOpt, SetOpt, _config, _err, app
from .cli_store import DbOpt, open_store
from .errors import DiscernError

# Without a terminal (a Slurm or cron log) progress is a plain line at most this often.
_LOG_EVERY_S = 30.0


class EngineKind(str, Enum):
    local = "local"
    dask = "dask"


@app.command()
def batch(
    paths: List[str] = typer.Argument(..., help="Files or directories (JSONL/CSV are streamed record by record)."),
    db: Optional[str] = DbOpt,
    engine: Optional[EngineKind] = typer.Option(None, "--engine", help="local (process pool, the default) or "
                                                "dask (a LocalCluster, or the cluster at --scheduler)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Address of a running Dask scheduler, "
                                            "e.g. tcp://HOST:8786 (implies --engine dask)."),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="Worker processes (default: CPU count; "
                                          "ignored with --scheduler)."),
    partition_size: int = typer.Option(100, "--partition-size", min=1, help="Documents per partition: the unit "
                                       "of work, of one store transaction and of one checkpoint."),
    published: Optional[str] = typer.Option(None, help="Publication date for plain-text inputs."),
    replace: bool = typer.Option(False, "--replace", help="Re-analyse stored documents even when this pipeline "
                                 "produces fewer layers than their stored analysis (those layers are dropped)."),
    outlet: Optional[str] = typer.Option(None, help="Outlet for inputs that do not carry one."),
    config_file: Optional[Path] = ConfigOpt,
    overrides: List[str] = SetOpt,
) -> None:
    """Analyse large inputs in parallel partitions and store them; rerun the same command to resume."""
    from .batch import make_engine, run_batch
    from .batch.partitions import estimate_documents
    from .ingest import ReadOptions
    from .ingest.base import date_option
    from .store.store import redact_command

    if engine == EngineKind.local and scheduler:
        _err("discern: --scheduler needs --engine dask")
        raise typer.Exit(2)
    kind = engine.value if engine else ("dask" if scheduler else "local")
    if kind == "dask":  # the scheduler runs in this process and logs every worker's arrival at INFO
        for handler in logging.getLogger().handlers:
            handler.addFilter(_quiet_dask)
    config = _config(config_file, overrides)
    options = ReadOptions.from_config(config, published=date_option(published), outlet=outlet)
    store = open_store(db)
    stdin = sys.stdin.buffer.read() if "-" in paths else None
    reporter = _Reporter(estimate_documents(paths, options))
    try:
        with make_engine(kind, workers, scheduler) as runner, reporter:
            stats = run_batch(paths, config, store, runner, partition_size=partition_size, options=options,
                              command=redact_command(sys.argv), stdin=stdin, on_error=reporter.error,
                              on_progress=reporter.advance, replace=replace)
    except DiscernError as err:
        _err(f"discern: {err}")
        raise typer.Exit(2) from None
    except BrokenProcessPool:
        _err("discern: a worker process died (out of memory, or killed); rerun the same command to resume")
        raise typer.Exit(2) from None
    except OSError as err:  # a scheduler that cannot be reached, a worker that cannot start
        _err(f"discern: batch engine {kind}: {type(err).__name__}: {err}")
        raise typer.Exit(2) from None
    elapsed = max(time.monotonic() - reporter.started, 1e-9)
    s = stats.stored
    _err(f"discern: batch run {stats.run_id}: {stats.documents} documents in {stats.partitions} partitions "
         f"({stats.resumed} finished earlier); {s.added} added, {s.updated} re-analysed, {s.skipped} already "
         f"stored, {stats.duplicates} duplicates, {stats.read_errors} read errors, {stats.failed} failed; "
         f"{stats.analysed / elapsed:.1f} analysed/s; store {store.shown_url}")
    raise typer.Exit(1 if stats.read_errors or stats.failed else 0)


def _quiet_dask(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.WARNING or not record.name.startswith("distributed")


class _Reporter:
    """A rich progress bar on a terminal (rate, ETA), plain periodic lines otherwise; errors above it."""

    def __init__(self, total: int | None):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.console = Console(stderr=True)
        self.interactive = sys.stderr.isatty()
        self.total = total
        self.done = 0
        self.started = time.monotonic()
        self.logged = self.started
        self.bar = Progress(TextColumn("batch"), BarColumn(bar_width=None), MofNCompleteColumn(),
                            TextColumn("{task.fields[rate]}"), TextColumn("ETA"), TimeRemainingColumn(),
                            TimeElapsedColumn(), console=self.console, disable=not self.interactive)
        self.task = self.bar.add_task("batch", total=total, rate="")

    def __enter__(self):
        self.bar.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.bar.__exit__(*exc)

    def advance(self, n: int) -> None:
        self.done += n
        if self.total is not None and self.done > self.total:
            self.total = self.done
            self.bar.update(self.task, total=self.total)
        rate = self.done / max(time.monotonic() - self.started, 1e-9)
        self.bar.update(self.task, advance=n, rate=f"{rate:.1f} docs/s")
        now = time.monotonic()
        if not self.interactive and now - self.logged >= _LOG_EVERY_S:
            self.logged = now
            left = f", ETA {(self.total - self.done) / rate / 60:.0f} min" if self.total and rate else ""
            of = f"/{self.total}" if self.total else ""
            _err(f"discern: batch: {self.done}{of} documents, {rate:.1f} docs/s{left}")

    def error(self, err) -> None:
        message = f"discern: error: {err.path}: {err.reason} [{err.code}]"
        if self.interactive:
            self.bar.console.print(message, markup=False, highlight=False)
        else:
            _err(message)
