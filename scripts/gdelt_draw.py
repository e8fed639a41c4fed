"""Draw articles from the GDELT-sourced war news folder for hand-judging, stratified by country, never a
RESERVED one (../shared/data/RESERVED.md). The draw is a pure function of the seed and ``--exclude`` lists, so a
judged draw names its seed and can be drawn again.

    .venv/bin/python scripts/gdelt_draw.py --seed 24 --per-country 2 [--exclude DRAW.txt ...] > DRAW.txt
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FOLDER = DATA / "ukraine-war-news-gdelt-hellaskella33" / "data" / "articles"
COUNTRIES = ("BY", "UA", "PL", "GB", "US")


def reserved() -> set[str]:
    text = (DATA / "RESERVED.md").read_text(encoding="utf-8")
    return set(re.findall(r"\b\d{8}T\d{6}Z_[A-Z]{2}_en_[0-9a-f]{10}\.txt\b", text))


def draw(seed: int, per_country: int, exclude: set[str], min_chars: int, max_chars: int) -> list[str]:
    rng = random.Random(seed)
    skip = reserved() | exclude
    out = []
    for country in COUNTRIES:
        files = sorted(p.name for p in FOLDER.glob(f"*_{country}_en_*.txt") if p.name not in skip
                       and min_chars <= len(p.read_text(encoding="utf-8")) <= max_chars)
        out += rng.sample(files, min(per_country, len(files)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--per-country", type=int, default=2)
    ap.add_argument("--exclude", nargs="*", default=[], help="files listing earlier draws (one name a line)")
    ap.add_argument("--min-chars", type=int, default=800)
    ap.add_argument("--max-chars", type=int, default=6000)
    args = ap.parse_args()
    exclude = {line.strip() for f in args.exclude for line in Path(f).read_text().splitlines() if line.strip()}
    print("\n".join(draw(args.seed, args.per_country, exclude, args.min_chars, args.max_chars)))


if __name__ == "__main__":
    main()
