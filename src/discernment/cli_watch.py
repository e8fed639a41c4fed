"""``discern watch``: poll feeds on a schedule and ingest only new entries. A thin wrapper over discernment.watch."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import List, Optional

import typer

from .cli import ConfigOpt, SetOpt, _build_analyzer, _config, _err, app
from .cli_store import DbOpt, open_store


class _Terminated(BaseException):
    """SIGTERM (systemd stopping the service, `kill`): end the watch cleanly, like Ctrl-C but with exit 0."""


def _terminate(signum, frame):
    raise _Terminated()


@app.command()
def watch(
    feeds: Optional[List[str]] = typer.Argument(None, help="Feed URLs (http/https) and feed files (.xml, .rss, "
                                                           ".atom); any input `discern ingest` reads."),
    feed_list: Optional[Path] = typer.Option(None, "--feeds", help="Also watch the feeds listed in this file, "
                                             "one a line (blank lines and lines starting with # are skipped)."),
    every: Optional[str] = typer.Option(None, "--every", help="Poll this often: 30s, 15m, 1h, 1d (or 1h30m)."),
    once: bool = typer.Option(False, "--once", help="Poll every feed once, then exit (for cron or a systemd "
                                                    "timer): exit 1 when a feed or entry failed."),
    db: Optional[str] = DbOpt,
    config_file: Optional[Path] = ConfigOpt,
    overrides: List[str] = SetOpt,
) -> None:
    """Poll feeds on a schedule and store the entries not seen before (conditional requests; per-feed state kept in
    the store, so a restart carries on). One line per feed per poll on standard error; Ctrl-C stops."""
    from .ingest import ReadOptions
    from .store.store import redact_command
    from .watch import Watcher, parse_interval

    feeds = list(feeds or [])
    if feed_list is not None:
        try:
            lines = feed_list.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as err:
            _err(f"discern: cannot read --feeds {feed_list}: {getattr(err, 'strerror', None) or err}")
            raise typer.Exit(2) from None
        feeds += [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not feeds:
        _err("discern: no feeds to watch: name them, or list them in a file given with --feeds FILE")
        raise typer.Exit(2)
    if once == (every is not None):
        _err("discern: give either --every INTERVAL (e.g. --every 15m) or --once")
        raise typer.Exit(2)
    interval = None
    if every is not None:
        try:
            interval = parse_interval(every)
        except ValueError as err:
            _err(f"discern: --every {err}")
            raise typer.Exit(2) from None
    config = _config(config_file, overrides)
    options = ReadOptions.from_config(config)
    store = open_store(db, create=True)
    analyzer = _build_analyzer(config)
    watcher = Watcher(feeds, store, analyzer, options, command=redact_command(sys.argv),
                      log=lambda line: _err(line))
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        results = watcher.run(interval)
    except _Terminated:
        _err("discern: watch stopped (SIGTERM)")
        raise typer.Exit(0) from None
    finally:
        signal.signal(signal.SIGTERM, previous)
        store.close()
    raise typer.Exit(1 if any(r.failed for r in results) else 0)
