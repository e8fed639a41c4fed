"""``discern maps``: import dated control-of-terrain maps into the store and list them. A thin wrapper over
discernment.maps (docs/control-maps.md)."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from .cli import ConfigOpt, SetOpt, _config, _err, app
from .cli_store import DbOpt, FormatOpt, TableFormat, open_store

maps_app = typer.Typer(
    no_args_is_help=True,
    help="Dated control-of-terrain maps: import, list, and check territorial claims against them "
        "(docs/control-maps.md).",
)
app.add_typer(maps_app, name="maps")


class MapKind(str, Enum):
    deepstate = "deepstate"
    occupied_daily = "occupied-daily"
    geojson = "geojson"


@maps_app.command("import")
def import_cmd(
    paths: List[str] = typer.Argument(..., help="GeoJSON files and folders of them (.geojson, .json)."),
    name: str = typer.Option(..., "--name", help="The layer to import into (created, or updated: a snapshot of a "
                             "date already stored is replaced)."),
    kind: Optional[MapKind] = typer.Option(None, "--kind", help="deepstate ({unix}.geojson API snapshots), "
                                           "occupied-daily (deepstatemap_data_YYYYMMDD.geojson) or geojson (date "
                                           "and status as [maps] says); by default told from each file's name."),
    db: Optional[str] = DbOpt,
    config_file: Optional[Path] = ConfigOpt,
    overrides: List[str] = SetOpt,
) -> None:
    """Read control maps into the store: one snapshot per file and date, each status's area merged. Bad files are
    reported on standard error (E113) and the others still imported; exit 1 when any failed."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from .maps import MapSettings, MapStore
    from .maps.readers import iter_files

    config = _config(config_file, overrides)
    settings = MapSettings.from_config(config)
    store = open_store(db, create=True)
    maps = MapStore(store, settings)
    total = sum(1 for _ in iter_files(paths))
    columns = [SpinnerColumn(), TextColumn("maps import"), BarColumn(bar_width=None), MofNCompleteColumn(),
               TextColumn("{task.fields[last]}"), TimeElapsedColumn()]
    with Progress(*columns, transient=False, disable=not sys.stderr.isatty(), console=Console(stderr=True)) as bar:
        task = bar.add_task("import", total=total or None, last="")
        seen: set[str] = set()

        def on_error(err) -> None:
            bar.advance(task)
            bar.console.print(f"discern: error: {err.path}: {err.reason} [{err.code}]", markup=False,
                              soft_wrap=True, highlight=False)

        def progress(snap) -> None:
            if snap.path not in seen:
                seen.add(snap.path)
                bar.advance(task)
            bar.update(task, last=snap.date.isoformat())

        stats = maps.import_paths(name, paths, kind=kind.value if kind else None, on_error=on_error,
                                  progress=progress)
    ignored = f", {stats.ignored} features of other or unknown status left out" if stats.ignored else ""
    _err(f"discern: maps {name}: {stats.files} files, {stats.snapshots} snapshots stored, {stats.failed} failed"
         f"{ignored}; store {store.shown_url}")
    if stats.snapshots:
        from .analysis.verdicts import refresh

        written = refresh(store, config=config)
        _err(f"discern: verdicts recomputed: {written} territorial claims judged against "
             f"{len(maps.layer_names())} layer(s)")
    raise typer.Exit(1 if stats.failed else 0)


@maps_app.command("list")
def list_cmd(db: Optional[str] = DbOpt, format: TableFormat = FormatOpt) -> None:
    """The imported layers: kind, snapshots, first and last date, when last imported."""
    from .maps import MapStore
    from .render import print_rows

    rows = MapStore(open_store(db, create=False)).layers()
    print_rows(rows, format.value, ["name", "kind", "snapshots", "first", "last", "imported_at"], sys.stdout,
               title="control-map layers")


class RecordBy(str, Enum):
    source = "source"
    claimant = "claimant"
    outlet = "outlet"


@maps_app.command("check")
def check_cmd(
    db: Optional[str] = DbOpt,
    layer: Optional[str] = typer.Option(None, "--layer", help="Check against this layer only (default: for each "
                                        "claim, the layer whose latest snapshot on or before its date is newest)."),
    place: Optional[List[str]] = typer.Option(None, "--place", help="Only claims about this place (repeatable)."),
    outlet: Optional[str] = typer.Option(None, "--outlet"),
    since: Optional[str] = typer.Option(None, "--since", help="Published from (YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, "--until", help="Published up to (YYYY-MM-DD)."),
    records: Optional[RecordBy] = typer.Option(None, "--records", help="Print track records per source "
                                               "(institution), claimant or outlet instead of one row per claim."),
    recompute: bool = typer.Option(False, "--recompute", help="Judge every claim again and store the verdicts "
                                   "(done by `maps import` and by ingest into a store with maps; needed after "
                                   "changing [maps] or [compare] settings)."),
    format: TableFormat = FormatOpt,
    config_file: Optional[Path] = ConfigOpt,
    overrides: List[str] = SetOpt,
) -> None:
    """Territorial claims against the imported maps: for each control assertion about a located place, what the
    map showed there on its date and after (consistent, later with the lag, not_confirmed, contested, no_map)."""
    from .analysis.verdicts import check_store, load_verdicts, refresh, track_records
    from .cli_store import _filters
    from .maps import MapSettings, MapStore
    from .render import print_rows

    config = _config(config_file, overrides)
    store = open_store(db, create=False)
    filters = _filters(place=place or None, outlet=outlet, since=since, until=until, limit=1_000_000)
    if recompute:
        refresh(store, config=config)
    if layer is not None:  # one layer asked: judged now, nothing stored
        verdicts = check_store(store, MapStore(store, MapSettings.from_config(config)), filters, layer, config)
    else:
        verdicts = load_verdicts(store, filters)
    if records is not None:
        print_rows(track_records(verdicts, by=records.value), format.value,
                   ["who", "checked", "consistent", "within_7", "within_30", "never", "contested", "median_lag"],
                   sys.stdout, title=f"track records by {records.value}")
        return
    rows = [{"published": v.support.published, "outlet": v.support.outlet, "source": v.support.source,
             "claimant": v.support.claimant, "place": v.place, "holder": v.holder, "as_of": v.as_of,
             "verdict": v.map.verdict, "map_status": v.map.status, "snapshot_date": v.map.snapshot_date,
             "agree_date": v.map.agree_date, "lag_days": v.map.lag_days, "partial": v.map.partial,
             "map": v.map.source, "text": v.support.text, "doc_id": v.support.doc_id, "start": v.support.start,
             "end": v.support.end} for v in verdicts]
    print_rows(rows, format.value, ["as_of", "outlet", "source", "place", "holder", "verdict", "map_status",
                                    "lag_days", "text"], sys.stdout, title="territorial claims against the map")
