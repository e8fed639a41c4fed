"""Store commands: ingest, search, claims, timeline, sources. Thin wrappers over discernment.store."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from .cli import ConfigOpt, SetOpt, _build_analyzer, _config, _err, app
from .errors import DiscernError, ReadError


class TableFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


DbOpt = typer.Option(None, "--db", help="Store URL (sqlite:///path, postgresql://...) or a SQLite file path. "
                     "Default: $DISCERN_DB or a SQLite file in the user data directory.")
FormatOpt = typer.Option(TableFormat.table, "--format", "-f", help="table, json or csv.")
OutletOpt = typer.Option(None, "--outlet", help="Only this outlet.")
SinceOpt = typer.Option(None, "--since", help="Published on or after this date (YYYY-MM-DD).")
UntilOpt = typer.Option(None, "--until", help="Published on or before this date (YYYY-MM-DD).")
ClaimSinceOpt = typer.Option(None, "--claim-since", help="The claim's own resolved date on or after this "
                             "(YYYY-MM-DD); a forecast or distant date never matches.")
ClaimUntilOpt = typer.Option(None, "--claim-until", help="The claim's own resolved date on or before this.")
LimitOpt = typer.Option(50, "--limit", min=1, max=100000)
OffsetOpt = typer.Option(0, "--offset", min=0)


def open_store(db: Optional[str], create: bool = True):
    """The store at ``db``; read commands pass ``create=False`` so a mistyped path is refused (E605), not
    made into an empty store."""
    from .store import Store
    from .store.store import redact_url

    try:
        return Store(db, create=create)
    except DiscernError:
        raise
    except Exception as err:  # a bad URL or an unreachable server: say which and why, no traceback
        shown = redact_url(db) if db else "(default)"
        reason = str(err).replace(db, shown) if db else str(err)
        _err(f"discern: cannot open store {shown}: {type(err).__name__}: {reason.splitlines()[0]}")
        raise typer.Exit(2) from None


@app.command()
def ingest(
    paths: List[str] = typer.Argument(..., help="Files, directories or feed URLs to analyse and store."),
    db: Optional[str] = DbOpt,
    published: Optional[str] = typer.Option(None, help="Publication date for plain-text inputs."),
    outlet: Optional[str] = typer.Option(None, help="Outlet for inputs that do not carry one."),
    batch_size: int = typer.Option(50, min=1, help="Documents per transaction."),
    replace: bool = typer.Option(False, "--replace", help="Re-analyse stored documents even when this pipeline "
                                 "produces fewer layers than their stored analysis (those layers are dropped)."),
    since: Optional[str] = typer.Option(None, "--since", help="Only documents published on or after this date "
                                        "(YYYY-MM-DD); undated ones are left out."),
    until: Optional[str] = typer.Option(None, "--until", help="Only documents published on or before this date."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="Store at most this many documents (those "
                                        "already stored do not count)."),
    config_file: Optional[Path] = ConfigOpt,
    overrides: List[str] = SetOpt,
) -> None:
    """Analyse inputs and store them (idempotent: stored texts are skipped, re-analysed by a newer pipeline)."""
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from .ingest import ReadOptions
    from .ingest.base import date_option
    from .runner import ingest_inputs
    from .store.store import redact_command

    config = _config(config_file, overrides)
    from .store.queries import check_date

    since, until = check_date(since or None, "--since"), check_date(until or None, "--until")
    options = ReadOptions.from_config(config, published=date_option(published), outlet=outlet)
    store = open_store(db, create=True)
    analyzer = _build_analyzer(config)
    errors: list[ReadError] = []
    columns = [SpinnerColumn(), TextColumn("ingest"), BarColumn(bar_width=None),
               TextColumn("{task.completed} stored"), TextColumn("{task.fields[rate]}"), TimeElapsedColumn()]
    with Progress(*columns, transient=False, disable=not sys.stderr.isatty(),
                  console=__import__("rich.console", fromlist=["Console"]).Console(stderr=True)) as bar:
        task = bar.add_task("ingest", total=None, rate="")

        def advance(n: int) -> None:
            bar.advance(task, n)
            elapsed = bar.tasks[0].elapsed or 0
            done = bar.tasks[0].completed
            bar.update(task, rate=f"{done / elapsed:.1f} docs/s" if elapsed else "")

        def on_error(err: DiscernError) -> None:
            errors.append(err)
            where = f"{err.path}: {err.reason}" if isinstance(err, ReadError) else err.message
            bar.console.print(f"discern: error: {where} [{err.code}]", markup=False, soft_wrap=True,
                              highlight=False)

        run_id, stored, seen = ingest_inputs(paths, analyzer, options, store, command=redact_command(sys.argv),
                                             on_error=on_error, progress=advance, batch_size=batch_size,
                                             replace=replace, since=since, until=until, limit=limit)
    kept = f", {stored.refused} kept as stored or refused" if stored.refused else ""
    outside = f", {seen.out_of_range} published outside --since/--until" if seen.out_of_range else ""
    _err(f"discern: run {run_id}: {stored.added} added, {stored.updated} re-analysed, {stored.skipped} already "
         f"stored{kept}{outside}, {len(errors)} failed; store {store.shown_url}")
    raise typer.Exit(1 if errors else 0)


def _filters(**kwargs):
    """Filters from command-line values; None and an empty list (a repeatable option not given) mean any."""
    from .store.queries import Filters

    return Filters(**{k: v for k, v in kwargs.items() if v is not None and v != []})


@app.command()
def search(
    query: str = typer.Argument(..., help='Words, or "a phrase" in quotes.'),
    db: Optional[str] = DbOpt,
    outlet: Optional[str] = OutletOpt, since: Optional[str] = SinceOpt, until: Optional[str] = UntilOpt,
    place: List[str] = typer.Option([], "--place", help="Only documents that mention this place (any spelling; "
                                                        "repeat: any of them)."),
    technique: Optional[str] = typer.Option(None, help="Only documents with this persuasion technique."),
    claimant: Optional[str] = typer.Option(None, help="Only documents with claims by this claimant."),
    limit: int = LimitOpt, offset: int = OffsetOpt, format: TableFormat = FormatOpt,
) -> None:
    """Full-text search over stored documents, best match first."""
    from .render import print_rows
    from .store.queries import search as run_search

    hits = run_search(
        open_store(db, create=False),
        query,
        _filters(
            outlet=outlet,
            since=since,
            until=until,
            place=place,
            technique=technique,
            claimant=claimant,
            limit=limit,
            offset=offset,
        ),
    )
    print_rows(hits, format.value, ["published", "outlet", "title", "snippet", "doc_id"], sys.stdout,
               title=f"search: {query}")


class RecordsBy(str, Enum):
    outlet = "outlet"
    source = "source"
    claimant = "claimant"


class VerdictChoice(str, Enum):
    consistent = "consistent"
    later = "later"
    not_confirmed = "not_confirmed"
    contested = "contested"
    no_map = "no_map"
    checked = "checked"


@app.command("claims")
def claims_cmd(
    db: Optional[str] = DbOpt,
    place: List[str] = typer.Option([], "--place", help="Claims about this place (any spelling; repeat: any of "
                                                        "them; an oblast takes in its settlements)."),
    type: Optional[str] = typer.Option(None, "--type", help="territorial_control, casualties, equipment_losses, "
                                       "strike, movement, statement, other."),
    claimant: Optional[str] = typer.Option(None, help="Claimant name (substring, case-insensitive)."),
    outlet: Optional[str] = OutletOpt, since: Optional[str] = SinceOpt, until: Optional[str] = UntilOpt,
    claim_since: Optional[str] = ClaimSinceOpt, claim_until: Optional[str] = ClaimUntilOpt,
    technique: Optional[str] = typer.Option(None, help="Only claims a span of this technique overlaps (any "
                                                       "spelling: 'name calling')."),
    sort: Optional[str] = typer.Option(None, "--sort", help="published (default: -published, newest first), date, "
                                                            "outlet, type, checkworthy; '-' in front: descending."),
    verdict: Optional[VerdictChoice] = typer.Option(None, "--verdict", help="Territorial claims with this verdict "
                                                    "of the control map (checked: any but no_map; "
                                                    "docs/control-maps.md)."),
    limit: int = LimitOpt, offset: int = OffsetOpt, format: TableFormat = FormatOpt,
) -> None:
    """The claim ledger: who claims what, where and when; each row names its document and offsets. With control
    maps imported, territorial claims carry the map's verdict (docs/control-maps.md)."""
    from .render import print_rows
    from .store.queries import claims

    store = open_store(db, create=False)
    rows = claims(store, _filters(place=place, type=type, claimant=claimant, outlet=outlet,
                                  since=since, until=until, claim_since=claim_since,
                                  claim_until=claim_until, technique=technique, sort=sort,
                                  verdict=verdict.value if verdict else None, limit=limit, offset=offset))
    columns = ["published", "as_of", "outlet", "type", "claimant", "text", "places", "hedged", "doc_id", "start",
               "end"]
    if format.value != "table" or any(r.map for r in rows) or verdict:
        columns[7:7] = ["verdict"]
    print_rows(rows, format.value, columns, sys.stdout, title="claims")


@app.command("events")
def events_cmd(
    db: Optional[str] = DbOpt,
    place: List[str] = typer.Option([], "--place", help="Events at this place (any spelling; repeat: any of them; "
                                                        "an oblast takes in its settlements)."),
    type: Optional[str] = typer.Option(None, "--type", help="The event type (PLOVER code, e.g. ASSAULT)."),
    claimant: Optional[str] = typer.Option(None, help="Claimant of the event's claim (substring)."),
    outlet: Optional[str] = OutletOpt, since: Optional[str] = SinceOpt, until: Optional[str] = UntilOpt,
    limit: int = LimitOpt, offset: int = OffsetOpt, format: TableFormat = FormatOpt,
) -> None:
    """The events ledger: what happened where, who did it, who claims it; newest publication first."""
    from .render import print_rows
    from .store.queries import events

    rows = events(open_store(db, create=False), _filters(place=place, type=type, claimant=claimant, outlet=outlet,
                                                         since=since, until=until, limit=limit, offset=offset))
    print_rows(rows, format.value, ["published", "date", "outlet", "type", "place", "precision", "actor", "target",
                                    "claimant", "doc_id", "start", "end"], sys.stdout, title="events")


@app.command()
def timeline(
    place: str = typer.Argument(..., help="A place name in any spelling the store has seen."),
    db: Optional[str] = DbOpt,
    outlet: Optional[str] = OutletOpt, since: Optional[str] = SinceOpt, until: Optional[str] = UntilOpt,
    limit: int = typer.Option(500, "--limit", min=1), format: TableFormat = FormatOpt,
) -> None:
    """Claims and events about one place over time, by outlet."""
    from .render import print_rows
    from .store.queries import timeline as run_timeline

    rows = run_timeline(
        open_store(db, create=False), place, _filters(outlet=outlet, since=since, until=until, limit=limit)
    )
    print_rows(rows, format.value, ["date", "outlet", "kind", "type", "claimant", "text", "doc_id", "start"],
               sys.stdout, title=f"timeline: {place}")


@app.command()
def sources(
    db: Optional[str] = DbOpt,
    since: Optional[str] = SinceOpt, until: Optional[str] = UntilOpt, format: TableFormat = FormatOpt,
    records: Optional[RecordsBy] = typer.Option(None, "--records", help="Track records against the control maps "
                                                "instead: per outlet, per source (the institution a claimant "
                                                "speaks for) or per claimant as named (docs/control-maps.md)."),
    outlet: Optional[str] = OutletOpt,
) -> None:
    """Outlet profiles: articles, claims by type, hedging, quotes by officials, technique density; with
    ``--records``, how often territorial claims were borne out by the control maps."""
    from .render import print_rows

    store = open_store(db, create=False)
    if records is not None:
        from .analysis.verdicts import store_records

        print_rows(store_records(store, _filters(since=since, until=until, outlet=outlet, limit=1_000_000),
                                 by=records.value), format.value,
                   ["who", "checked", "consistent", "within_7", "within_30", "never", "contested", "median_lag"],
                   sys.stdout, title=f"track records by {records.value}")
        return
    from .analysis.verdicts import profiles_with_records

    rows, _ = profiles_with_records(store, _filters(since=since, until=until, outlet=outlet, limit=1_000_000))
    print_rows(rows, format.value, ["outlet", "articles", "claims", "claims_by_type", "hedged_rate",
                                    "official_quote_share", "techniques_per_1000_words", "top_techniques",
                                    "track_record"],
               sys.stdout, title="sources")


@app.command("compare")
def compare_cmd(
    db: Optional[str] = DbOpt,
    place: List[str] = typer.Option([], "--place", help="Only findings about this place (any spelling; repeat: any "
                                                        "of them)."),
    outlet: Optional[str] = OutletOpt, since: Optional[str] = SinceOpt, until: Optional[str] = UntilOpt,
    kind: Optional[str] = typer.Option(None, help="Only contradiction, change, update or agreement."),
    aspect: Optional[str] = typer.Option(None, help="Only control, count or blame."),
    window: Optional[int] = typer.Option(None, help="Days within which different holders contradict (beyond: a "
                                                    "change); default [compare] window_days."),
    format: TableFormat = FormatOpt,
) -> None:
    """Contradictions, agreements, changes and updates between independent sources: who holds a place, how many
    were killed at an event, who is blamed for a strike. JSON lists every supporting claim with its offsets; CSV
    gives one row per supporting claim."""
    from dataclasses import replace as _replace

    from .analysis.compare import KINDS, Settings, compare
    from .export.findings import finding_rows
    from .render import print_rows

    if kind and kind not in KINDS:
        _err(f"discern: --kind must be one of {', '.join(KINDS)}")
        raise typer.Exit(2)
    if aspect and aspect not in ("control", "count", "blame"):
        _err("discern: --aspect must be control, count or blame")
        raise typer.Exit(2)
    settings = Settings.from_config(_config(None, []))
    if window is not None:
        settings = _replace(settings, window_days=window)
    findings = compare(open_store(db, create=False), _filters(place=place, outlet=outlet, since=since, until=until,
                                                limit=1_000_000), settings, kind=kind, aspect=aspect)
    if format.value == "json":
        print_rows([f.to_dict() for f in findings], "json", [], sys.stdout)
    elif format.value == "csv":
        print_rows(list(finding_rows(findings)), "csv", [], sys.stdout)
    else:
        rows = [{"kind": f.kind, "aspect": f.aspect, "subject": f.subject, "reason": f.reason,
                 "claims": len(f.claims)} for f in findings]
        print_rows(rows, "table", ["kind", "aspect", "subject", "reason", "claims"], sys.stdout, title="compare")


@app.command("clusters")
def clusters_cmd(
    db: Optional[str] = DbOpt,
    text: Optional[str] = typer.Option(None, "--text", help='Only facts whose claims contain this text, e.g. '
                                                            '"2,000" (a number never matches inside a longer one).'),
    place: List[str] = typer.Option([], "--place", help="Only facts about this place (repeat: any of them)."),
    outlet: Optional[str] = OutletOpt, since: Optional[str] = SinceOpt, until: Optional[str] = UntilOpt,
    min_outlets: int = typer.Option(1, help="Only facts carried by at least this many outlets."),
    limit: int = typer.Option(20, help="Clusters to show."),
    format: TableFormat = FormatOpt,
) -> None:
    """The same fact across outlets (who holds a place, a count at an event, who is blamed), first carrier first,
    with each claim's claimant, relay chain and quantity as given."""
    from .analysis.compare import Settings, fact_clusters
    from .render import print_rows

    found = fact_clusters(open_store(db, create=False), _filters(place=place, outlet=outlet, since=since, until=until,
                                                   limit=1_000_000), Settings.from_config(_config(None, [])),
                          text_contains=text, min_outlets=min_outlets)[:limit]
    rows = [{"cluster": c.id, "aspect": c.aspect, "subject": c.subject, "fact": c.value, "as_of": m.as_of,
             "outlet": m.outlet, "claimant": m.claimant, "source": m.source, "via": list(m.via), "value": m.value,
             "text": m.text, "doc_id": m.doc_id, "start": m.start, "end": m.end} for c in found for m in c.claims]
    print_rows(rows, format.value, ["cluster", "subject", "fact", "as_of", "outlet", "claimant", "via", "value",
                                    "text"], sys.stdout, title="facts across outlets")


@app.command()
def show(
    doc_id: str = typer.Argument(..., help="A document id (or a unique prefix of one)."),
    db: Optional[str] = DbOpt,
    span: Optional[str] = typer.Option(None, help="START:END offsets to show in context (e.g. from the ledger)."),
    context: int = typer.Option(300, help="Characters of context around --span."),
    format: TableFormat = typer.Option(TableFormat.table, "--format", "-f",
                                       help="table (readable) or json (the contract JSON)."),
) -> None:
    """Print a stored document, or one span of it in context with its exact offsets."""
    import json

    from rich.console import Console
    from rich.markup import escape

    store = open_store(db, create=False)
    full_id = store.resolve_id(doc_id)
    doc = store.get_document(full_id) if full_id else None
    if doc is None:
        _err(f"discern: no stored document with id {doc_id!r} (or the prefix is ambiguous)")
        raise typer.Exit(1)
    if format == TableFormat.json:
        sys.stdout.write(json.dumps(doc.to_dict(), ensure_ascii=False) + "\n")
        return
    console = Console(file=sys.stdout, highlight=False)
    src = doc.source
    console.print(f"[bold]{escape(src.title or doc.id)}[/bold]  {escape(src.outlet or '')} {src.published or ''}")
    console.print(f"id {doc.id}  url {escape(src.url or '-')}")
    if span:
        try:
            start, end = (int(x) for x in span.split(":"))
        except ValueError:
            _err("discern: --span must be START:END")
            raise typer.Exit(2) from None
        if not 0 <= start <= end <= len(doc.text):
            _err(f"discern: --span {span} is outside the text ({len(doc.text)} characters)")
            raise typer.Exit(2)
        left, right = max(0, start - context), min(len(doc.text), end + context)
        console.print(escape(doc.text[left:start]) + "[reverse]" + escape(doc.text[start:end]) + "[/reverse]"
                      + escape(doc.text[end:right]))
        console.print(f"[dim]characters {start}:{end}[/dim]")
    else:
        console.print(escape(doc.text))


@app.command()
def dedup(
    db: Optional[str] = DbOpt,
    threshold: float = typer.Option(0.85, help="MinHash Jaccard at or above which a document is a copy."),
) -> None:
    """Mark near-duplicate documents across the whole store (re-crawls, wire copies, re-publications).

    Queries then leave out copies of a document from the same outlet; copies carried by another outlet stay,
    since they show who relayed what. Run it after ingesting overlapping sources.
    """
    store = open_store(db, create=False)
    copies = store.mark_duplicates(threshold=threshold)
    _err(f"discern: {copies} of {store.count()} documents are near copies of an earlier one")
