"""Score claims and events against hand-made gold (docs/judged/claims-events-rubric.md).

    .venv/bin/python scripts/score_claims_events.py GOLD.jsonl [--detail] [--json OUT.json]

Each gold line names a file of the GDELT war-news folder; the file is analysed with the current code (publication
date from the file name, country as the outlet) and its claims and events are matched to the gold by span
overlap. Prints recall, precision, type (strict and lenient), claimant-free date accuracy and event recall, per
article and in all. ``--detail`` lists misses and false claims (for a development draw only: never read the
errors of the draw you report).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT.parent / "shared" / "data" / "ukraine-war-news-gdelt-hellaskella33" / "data" / "articles"
MATERIAL = {"ASSAULT", "SEIZE", "RETREAT", "MOBILIZE", "COERCE", "AID", "SANCTION", "PROTEST", "THREATEN"}


def overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter > 0 and inter >= 0.5 * min(a[1] - a[0], b[1] - b[0])


def analyse(files: list[str], overrides: list[str] = ()) -> dict[str, dict]:
    sys.path.insert(0, str(ROOT / "src"))
    from discernment.api import Analyzer
    from discernment.config import Config
    from discernment.model import Document, Source

    analyzer = Analyzer(Config.load(overrides=overrides))
    docs = []
    for name in files:
        text = (FOLDER / name).read_text(encoding="utf-8")
        published = f"{name[:4]}-{name[4:6]}-{name[6:8]}"
        docs.append(Document(text, source=Source(outlet=name.split("_")[1], published=published)))
    return {name: doc.to_dict() for name, doc in zip(files, analyzer.pipe(docs))}


def claim_date(claim: dict) -> str | None:
    dates = [d.get("value") for d in claim.get("dates") or [] if d.get("value")]
    return dates[0] if dates else None


def score(gold_lines: list[dict], out: dict[str, dict], detail: bool = False) -> dict:
    totals = {k: 0 for k in ("req", "found", "sys", "sys_ok", "matched", "type", "type_lenient", "date",
                             "ev_req", "ev_found", "ev_mat_req", "ev_mat_found", "ev_sys")}
    rows = []
    for g in gold_lines:
        doc = out[g["file"]]
        text = doc["text"]
        sys_claims = doc.get("claims", [])
        t = {k: 0 for k in totals}
        used: set[int] = set()
        for item in g["claims"]:
            span = (item["start"], item["end"])
            if text[span[0]:span[1]] != item.get("text", text[span[0]:span[1]]):
                raise SystemExit(f"{g['file']}: gold offsets do not fit the analysed text at {span}")
            match = next((k for k, c in enumerate(sys_claims) if k not in used and overlap(span, (c["start"], c["end"]))),
                         None)
            if item.get("required", True):
                t["req"] += 1
                t["found"] += match is not None
                if match is None and detail:
                    print(f"  MISS {g['file']} [{item['type']}] {text[span[0]:span[1]][:160]!r}")
            if match is not None:
                used.add(match)
                c = sys_claims[match]
                t["matched"] += 1
                t["type"] += c["type"] == item["type"]
                t["type_lenient"] += c["type"] == item["type"] or c["type"] in item.get("alt_types", [])
                t["date"] += claim_date(c) == item.get("date")
                if detail and c["type"] != item["type"] and c["type"] not in item.get("alt_types", []):
                    print(f"  TYPE {g['file']} {c['type']} (gold {item['type']}) {c['text'][:120]!r}")
                if detail and claim_date(c) != item.get("date"):
                    print(f"  DATE {g['file']} {claim_date(c)} (gold {item.get('date')}) {c['text'][:120]!r}")
        t["sys"] = len(sys_claims)
        for k, c in enumerate(sys_claims):
            ok = any(overlap((c["start"], c["end"]), (i["start"], i["end"])) for i in g["claims"])
            t["sys_ok"] += ok
            if not ok and detail:
                print(f"  FALSE {g['file']} [{c['type']}] {c['text'][:160]!r}")
        sys_events = doc.get("events", [])
        t["ev_sys"] = len(sys_events)
        for ev in g["events"]:
            if not ev.get("required", True):
                continue
            span = (ev["start"], ev["end"])
            hit = any(e["type"] == ev["type"] and overlap(span, (e["start"], e["end"])) for e in sys_events)
            t["ev_req"] += 1
            t["ev_found"] += hit
            if ev["type"] in MATERIAL:
                t["ev_mat_req"] += 1
                t["ev_mat_found"] += hit
            if not hit and detail:
                print(f"  EVMISS {g['file']} {ev['type']} {text[span[0]:span[1]][:140]!r}")
        for k in totals:
            totals[k] += t[k]
        rows.append((g["file"], t))
    return {"rows": rows, "totals": totals}


def ratio(a: int, b: int) -> str:
    return f"{a}/{b} = {a / b:.2f}" if b else "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold")
    ap.add_argument("--detail", action="store_true")
    ap.add_argument("--json")
    ap.add_argument("--set", action="append", default=[], help="a setting, section.key=value (as discern --set)")
    args = ap.parse_args()
    gold = [json.loads(line) for line in Path(args.gold).read_text(encoding="utf-8").splitlines() if line.strip()]
    out = analyse([g["file"] for g in gold], args.set)
    result = score(gold, out, args.detail)
    print(f"{'file':42} recall  precision type date events(material)")
    for name, t in result["rows"]:
        print(f"{name:42} {t['found']}/{t['req']:<5} {t['sys_ok']}/{t['sys']:<7} {t['type']}/{t['matched']:<3} "
              f"{t['date']}/{t['matched']:<3} {t['ev_found']}/{t['ev_req']} ({t['ev_mat_found']}/{t['ev_mat_req']})")
    t = result["totals"]
    summary = {
        "claim_recall": ratio(t["found"], t["req"]), "claim_precision": ratio(t["sys_ok"], t["sys"]),
        "type_strict": ratio(t["type"], t["matched"]), "type_lenient": ratio(t["type_lenient"], t["matched"]),
        "date": ratio(t["date"], t["matched"]), "event_recall_all": ratio(t["ev_found"], t["ev_req"]),
        "event_recall_material": ratio(t["ev_mat_found"], t["ev_mat_req"]), "events_produced": t["ev_sys"],
    }
    for k, v in summary.items():
        print(f"{k:24} {v}")
    if args.json:
        Path(args.json).write_text(json.dumps({"summary": summary, "totals": t}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
