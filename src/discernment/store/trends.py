"""Persuasion techniques per outlet and month, for the researcher's tables (the web's /sources/months).

Each cell is one outlet in one calendar month of publication: its articles, their words, the techniques found
in them (all, or one technique) and the rate per 1,000 words. A cell with fewer than ``min_articles`` articles is
flagged ``small_sample``: its rate rests on too little text to compare. Documents without a publication date fall
in the month "undated". Same-outlet near copies are left out, as everywhere in the store's queries.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, literal, select

from . import schema as s
from .queries import Filters, not_a_same_outlet_copy
from .store import Store

SMALL_SAMPLE = 5  # articles: a cell with fewer is flagged

# The PTC corpus's labels (SemEval-2020 task 11) as people write them.
TECHNIQUE_NAMES = {
    "Appeal_to_Authority": "Appeal to authority",
    "Appeal_to_fear-prejudice": "Appeal to fear / prejudice",
    "Bandwagon,Reductio_ad_hitlerum": "Bandwagon / reductio ad Hitlerum",
    "Black-and-White_Fallacy": "Black-and-white fallacy",
    "Causal_Oversimplification": "Causal oversimplification",
    "Doubt": "Doubt",
    "Exaggeration,Minimisation": "Exaggeration / minimisation",
    "Flag-Waving": "Flag-waving",
    "Loaded_Language": "Loaded language",
    "Name_Calling,Labeling": "Name calling / labeling",
    "Repetition": "Repetition",
    "Slogans": "Slogans",
    "Thought-terminating_Cliches": "Thought-terminating cliché",
    "Whataboutism,Straw_Men,Red_Herring": "Whataboutism / straw man / red herring",
}


def technique_name(label: str) -> str:
    """A readable name for a technique label: "Name_Calling,Labeling" -> "Name calling / labeling"."""
    if label in TECHNIQUE_NAMES:
        return TECHNIQUE_NAMES[label]
    for known, name in TECHNIQUE_NAMES.items():
        if known.lower() == label.lower():
            return name
    text = label.replace("_", " ").replace(",", " / ")
    return text[:1].upper() + text[1:]


def known_techniques(store: Store) -> list[str]:
    """Every technique label the model knows plus any other stored, in the order of their readable names."""
    with store.engine.connect() as conn:
        stored = {r[0] for r in conn.execute(select(s.techniques.c.technique).distinct()) if r[0]}
    labels = {**{k: None for k in TECHNIQUE_NAMES}, **{k: None for k in stored}}
    return sorted(labels, key=lambda t: technique_name(t).lower())


def canonical_technique(store: Store, value: str | None) -> str | None:
    """The known label ``value`` names, case-insensitively ("loaded_language" -> "Loaded_Language"); None if none."""
    if not value:
        return None
    wanted = value.strip().lower()
    for label in known_techniques(store):
        if label.lower() == wanted or technique_name(label).lower() == wanted:
            return label
    return None


@dataclass
class MonthCell:
    outlet: str
    month: str  # YYYY-MM, or "undated"
    articles: int
    words: int
    techniques: int  # spans of the chosen technique (all techniques when none is chosen)
    per_1000_words: float
    small_sample: bool
    by_technique: dict[str, int] = field(default_factory=dict)


@dataclass
class MonthTable:
    technique: str | None  # the label counted; None = all techniques
    technique_name: str | None
    months: list[str]
    outlets: list[str]
    cells: list[MonthCell]
    min_articles: int = SMALL_SAMPLE


def _documents(filters: Filters, d=s.documents):
    """Conditions on documents: no same-outlet copies, the outlet, publication dates."""
    conditions = [] if filters.include_copies else [not_a_same_outlet_copy(d)]
    if filters.outlet:
        conditions.append(func.lower(d.c.outlet) == filters.outlet.lower())
    if filters.since:
        conditions.append(d.c.published >= filters.since)
    if filters.until:
        conditions.append(d.c.published <= filters.until + "\uffff")  # a timestamp on the last day counts
    return conditions


def technique_months(store: Store, filters: Filters = Filters(), technique: str | None = None,
                     min_articles: int = SMALL_SAMPLE) -> MonthTable:
    """Techniques per 1,000 words for every outlet and month of publication (filters: outlet, since, until)."""
    d, t = s.documents, s.techniques
    label = canonical_technique(store, technique) if technique else None
    month = func.coalesce(func.substr(d.c.published, 1, 7), literal("undated")).label("month")
    conditions = _documents(filters)
    with store.engine.connect() as conn:
        docs = conn.execute(select(d.c.outlet, month, func.count(), func.sum(d.c.words))
                            .where(*conditions).group_by(d.c.outlet, month)).all()
        techs = conn.execute(select(d.c.outlet, month, t.c.technique, func.count()).join(d, d.c.id == t.c.doc_id)
                             .where(*conditions).group_by(d.c.outlet, month, t.c.technique)).all()
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for outlet, m, name, n in techs:
        counts[(outlet, m)][name] += int(n)
    cells = []
    for outlet, m, articles, words in docs:
        words = int(words or 0)
        by = counts[(outlet, m)]
        n = by.get(label, 0) if technique else sum(by.values())
        if technique and label is None:
            n = 0  # an unknown technique is found nowhere
        cells.append(MonthCell(outlet, m, int(articles), words, n, round(1000 * n / words, 3) if words else 0.0,
                               int(articles) < min_articles, dict(sorted(by.items(), key=lambda kv: (-kv[1], kv[0])))))
    cells.sort(key=lambda c: (c.outlet.lower(), c.month))
    months = sorted({c.month for c in cells}, key=lambda m: (m == "undated", m))
    outlets = sorted({c.outlet for c in cells}, key=str.lower)
    return MonthTable(label or (technique or None), technique_name(label) if label else None, months, outlets, cells,
                      min_articles)


def techniques_by_outlet(store: Store, filters: Filters = Filters()) -> dict[str, list[tuple[str, int]]]:
    """Every technique found per outlet, most frequent first (the source profiles show five)."""
    d, t = s.documents, s.techniques
    with store.engine.connect() as conn:
        rows = conn.execute(select(d.c.outlet, t.c.technique, func.count()).join(d, d.c.id == t.c.doc_id)
                            .where(*_documents(filters)).group_by(d.c.outlet, t.c.technique)).all()
    out: dict[str, Counter] = defaultdict(Counter)
    for outlet, name, n in rows:
        out[outlet][name] += int(n)
    return {outlet: sorted(c.items(), key=lambda kv: (-kv[1], kv[0])) for outlet, c in out.items()}


CSV_COLUMNS = ["outlet", "month", "articles", "words", "technique", "techniques", "per_1000_words", "small_sample"]


def month_rows(table: MonthTable) -> list[dict]:
    """The table as flat rows (CSV, pandas): one per outlet and month."""
    return [{"outlet": c.outlet, "month": c.month, "articles": c.articles, "words": c.words,
             "technique": table.technique or "all", "techniques": c.techniques, "per_1000_words": c.per_1000_words,
             "small_sample": c.small_sample} for c in table.cells]
