"""Small invented corpora for the crash and concurrency tests (no real article text)."""

from __future__ import annotations

import json
from pathlib import Path

TOWNS = ["Kupiansk", "Lyman", "Izium", "Bakhmut", "Avdiivka", "Pokrovsk", "Kherson", "Sumy", "Odesa", "Kramatorsk"]
ACTORS = ["The Russian defence ministry", "Ukraine's General Staff", "The regional governor", "A local mayor",
          "An army spokesman", "Emergency services"]
VERBS = ["said", "claimed", "reported", "told reporters", "announced", "stated"]
EVENTS = ["drones struck a fuel depot near {town}", "troops captured two villages west of {town}",
          "shelling damaged {n} houses in {town}", "air defence shot down {n} missiles over {town}",
          "{n} civilians were evacuated from {town}", "a bridge outside {town} was destroyed"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def invented_article(i: int) -> dict:
    town, other = TOWNS[i % len(TOWNS)], TOWNS[(i * 3 + 1) % len(TOWNS)]
    actor, verb = ACTORS[i % len(ACTORS)], VERBS[(i // 2) % len(VERBS)]
    event = EVENTS[(i * 5) % len(EVENTS)].format(town=town, n=3 + i * 7)
    second = EVENTS[(i * 5 + 2) % len(EVENTS)].format(town=other, n=11 + i)
    text = (f"{actor} {verb} on {DAYS[i % 7]} that {event}. \"We will not allow this to continue,\" "
            f"the official added in report number {1000 + i}. Separately, officials in {other} said {second}, "
            f"a claim that could not be independently verified by article {i}.")
    return {"text": text, "title": f"Invented report {i}: {town}", "published": f"2024-10-{1 + i % 28:02d}",
            "outlet": ["Invented Wire", "Made-up Daily", "Fictional Herald"][i % 3],
            "url": f"https://news.example.org/{i}"}


def write_jsonl(path: Path, n: int = 30) -> Path:
    path.write_text("".join(json.dumps(invented_article(i), ensure_ascii=False) + "\n" for i in range(n)),
                    encoding="utf-8")
    return path
