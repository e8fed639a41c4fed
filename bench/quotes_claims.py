"""Quote and claim speed against the spaCy parse they share (issue 3's budget: at most 30% on top of it).

    .venv/bin/python bench/quotes_claims.py [--n 40] [--repeats 2]

Times parse.v1, entities.v1, quotes.v1 and claims.v1 separately over the first N war-news articles of
../shared/data/ukraine-war-news/hellaskella33-uwnsa (texts stay there), best of the repeats, and prints the
share quotes + claims add to the parse.
"""

from __future__ import annotations

import argparse
import glob
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "ukraine-war-news" / "hellaskella33-uwnsa"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    from discernment.config import Config
    from discernment.extract.claims import make_claims
    from discernment.extract.entities import make_entities
    from discernment.extract.parse import Parse, load_nlp
    from discernment.extract.quotes import make_quotes
    from discernment.model import Document, Source
    from discernment.pipeline import Resources

    files = sorted(glob.glob(str(DATA / "*" / "*.txt")))[: args.n]
    if not files:
        raise SystemExit(f"no articles under {DATA}")
    texts = [Path(f).read_text(encoding="utf-8") for f in files]
    config = Config.load()
    resources = Resources(config)
    resources.set("nlp", load_nlp(resources))
    stages = [("parse", None), ("entities", make_entities(config, resources)),
              ("quotes", make_quotes(config, resources)), ("claims", make_claims(config, resources))]
    parse = Parse(resources, 50000, 16)
    best: dict[str, float] = {}
    for _ in range(args.repeats):
        docs = [Document(t, source=Source(published="2022-08-01")) for t in texts]
        for name, component in stages:
            began = time.perf_counter()
            docs = list(parse.pipe(docs)) if component is None else [component(d) for d in docs]
            best[name] = min(best.get(name, float("inf")), time.perf_counter() - began)
    words = sum(len(t.split()) for t in texts)
    print(f"{len(texts)} articles, {words:,} words; best of {args.repeats} (seconds):")
    for name, seconds in best.items():
        print(f"  {name:<9} {seconds:7.2f}")
    share = 100 * (best["quotes"] + best["claims"]) / best["parse"]
    print(f"quotes + claims add {share:.1f}% to the parse (budget 30%): "
          f"{sum(len(d.quotes) for d in docs)} quotes, {sum(len(d.claims) for d in docs)} claims")


if __name__ == "__main__":
    main()
