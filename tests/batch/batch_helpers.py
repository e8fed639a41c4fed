"""Helpers shared by the batch tests: the hand-written corpus, the tiny pipeline, store dumps."""

from __future__ import annotations

import json
from pathlib import Path

# parse + entities: fast to load, and enough to show that every layer row survives the trip through workers.
TINY = ['pipeline.components=["parse.v1","entities.v1"]']

_PLACES = ["Kharkiv", "Kupiansk", "Bakhmut", "Avdiivka", "Kherson", "Zaporizhzhia", "Izium", "Mariupol"]
_ACTORS = ["the Ukrainian General Staff", "Russia's Defence Ministry", "Governor Oleh Synehubov",
           "President Volodymyr Zelensky", "Kremlin spokesman Dmitry Peskov"]
_EVENTS = ["Shelling hit residential areas of {p} overnight, {a} said on Monday.",
           "Troops repelled several attacks near {p}, according to {a}.",
           "{a} claimed that forces had captured two villages outside {p}.",
           "Drones struck an energy facility in {p}, {a} told reporters.",
           "Residents of {p} were evacuated after heavy fighting, {a} said."]
_TAILS = ["Two civilians were wounded.", "The claim could not be independently verified.",
          "Officials in Kyiv did not comment.", "NATO ministers met in Brussels the same day.",
          "Power was restored by the evening."]

NEAR_DUPLICATE = ("Ukrainian officials said that Russian forces shelled the centre of Kharkiv overnight, damaging "
                  "a school, two apartment blocks and a tram depot, and that emergency crews worked until morning "
                  "to put out the fires while residents sheltered in the metro stations of the city.")


def corpus_texts(n: int) -> list[str]:
    """``n`` short news-like texts, all different, written from the templates above."""
    texts = []
    for i in range(n):
        event = _EVENTS[i % len(_EVENTS)].format(p=_PLACES[i % len(_PLACES)], a=_ACTORS[i % len(_ACTORS)])
        texts.append(f"{event} {_TAILS[(i // 2) % len(_TAILS)]} Update {i + 1}.")
    return [t[0].upper() + t[1:] for t in texts]


def write_corpus(root: Path) -> list[str]:
    """Two JSONL files (one corrupt line, an exact and a near duplicate), a CSV file and a folder of .txt files.

    Returns the inputs in the order a run is given them.
    """
    texts = corpus_texts(30)
    root.mkdir(parents=True, exist_ok=True)
    a = root / "a.jsonl"
    with a.open("w", encoding="utf-8") as fh:
        for i, text in enumerate(texts[:13]):
            fh.write(json.dumps({"text": text, "outlet": "Wire", "published": f"2023-03-{i + 1:02d}"}) + "\n")
        fh.write("{not json\n")
        fh.write(json.dumps({"text": NEAR_DUPLICATE, "outlet": "Wire"}) + "\n")
    b = root / "b.jsonl"
    with b.open("w", encoding="utf-8") as fh:
        for text in texts[13:24]:
            fh.write(json.dumps({"title": text[:30], "body": text, "source": "Daily"}) + "\n")
        fh.write(json.dumps({"text": texts[2], "outlet": "Copycat"}) + "\n")  # exact copy of an earlier one
        fh.write(json.dumps({"text": NEAR_DUPLICATE.replace(", and", "; and")}) + "\n")
    c = root / "c.csv"
    with c.open("w", encoding="utf-8", newline="") as fh:
        import csv

        writer = csv.writer(fh)
        writer.writerow(["Date", "URL", "Title", "Text"])
        for i, text in enumerate(texts[24:28]):
            writer.writerow([f"2023-04-0{i + 1}", f"https://example.org/{i}", f"Story {i}", text])
    folder = root / "notes"
    folder.mkdir(exist_ok=True)
    (folder / "one.txt").write_text(texts[28], encoding="utf-8")
    (folder / "two.txt").write_text(texts[29], encoding="utf-8")
    (folder / "empty.txt").write_text("  \n", encoding="utf-8")
    return [str(a), str(b), str(c), str(folder)]


def dump_store(store) -> dict:
    """Everything a run stores, keyed so two stores compare equal when their contents are the same."""
    from discernment.model import LAYERS

    docs = {doc_id: store.get_document(doc_id).to_dict() for doc_id in store.document_ids()}
    counts = {name: store.count(name) for name in (*LAYERS, "claim_places", "documents", "analyses")}
    return {"documents": docs, "counts": counts}
