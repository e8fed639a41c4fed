"""The document model: one immutable text, and typed, frozen annotation records holding offsets into it.

Every annotation layer of a :class:`Document` is a tuple of frozen dataclasses. Each record that spans text
carries ``start``/``end`` (Python string indices, end exclusive) and its ``text``, which always equals
``document.text[start:end]``; :meth:`Document.set_layer` enforces that invariant, so a component cannot store
an offset that does not point back at the exact characters it claims.

``Document.to_dict()`` produces the JSON fixed by the analysis contract; ``Document.from_dict`` reads it back.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Iterable

from .errors import DiscernError

LAYERS = ("entities", "places", "quotes", "claims", "events", "techniques")

_WS = re.compile(r"\s+")
LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # what bad decoding leaves; no UTF-8 can hold it


def normalise_text(text: str) -> str:
    """The form of a text that its id hashes: NFC, whitespace runs collapsed, ends stripped."""
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def without_nul(text: str) -> str:
    """``text`` with each NUL character replaced by U+FFFD (one character for one, so offsets hold).

    PostgreSQL cannot store NUL in text, and a NUL in prose is always a decoding or export fault; the readers
    and the web API replace it before a Document is made, so SQLite and PostgreSQL store the same text.
    """
    return text.replace("\x00", "\ufffd") if "\x00" in text else text


def text_id(text: str) -> str:
    """Content id of a text: sha256 of its normalised form (so CRLF/LF and re-wrapping do not change it)."""
    data = normalise_text(text).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


class _Record:
    """Shared (de)serialisation for the frozen records: fields in declaration order, nested records recursed."""

    _nested: ClassVar[dict[str, Any]] = {}

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):  # type: ignore[arg-type]
            out[f.name] = _dump(getattr(self, f.name))
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]):
        kwargs = {}
        names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        for name in names:
            if name not in data:
                continue
            value = data[name]
            kind = cls._nested.get(name)
            if kind is not None and value is not None:
                if isinstance(value, list):
                    value = tuple(kind.from_dict(v) if isinstance(v, dict) else v for v in value)
                else:
                    value = kind.from_dict(value)
            elif isinstance(value, list):
                value = tuple(value)
            kwargs[name] = value
        return cls(**kwargs)


def _dump(value: Any) -> Any:
    if isinstance(value, _Record):
        return value.to_dict()
    if isinstance(value, (tuple, list)):
        return [_dump(v) for v in value]
    return value


@dataclass(frozen=True)
class TextSpan(_Record):
    """A bare span: offsets and the text they cover (cues, speakers without a canonical form)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Mention(_Record):
    """A span naming someone or something, with the canonical name it resolves to (or null)."""

    start: int
    end: int
    text: str
    canonical: str | None = None


@dataclass(frozen=True)
class Entity(_Record):
    start: int
    end: int
    text: str
    label: str
    canonical: str


@dataclass(frozen=True)
class Place(_Record):
    start: int
    end: int
    text: str
    name: str | None = None
    lat: float | None = None
    lon: float | None = None
    country_code: str | None = None
    admin1: str | None = None
    geonames_id: int | None = None
    feature: str | None = None
    score: float = 0.0


@dataclass(frozen=True)
class Quote(_Record):
    start: int
    end: int
    text: str
    kind: str  # direct | indirect | mixed
    cue: TextSpan | None = None
    speaker: Mention | None = None
    _nested: ClassVar[dict[str, Any]] = {"cue": TextSpan, "speaker": Mention}


@dataclass(frozen=True)
class Claimant(_Record):
    """Who a claim is attributed to; offsets are optional (the outlet's own voice has none)."""

    text: str
    canonical: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Quantity(_Record):
    start: int
    end: int
    text: str
    value: float | None
    low: float | None = None
    high: float | None = None
    unit: str | None = None


@dataclass(frozen=True)
class DateMention(_Record):
    start: int
    end: int
    text: str
    value: str | None = None  # YYYY-MM-DD, or null when the text cannot be resolved


@dataclass(frozen=True)
class Claim(_Record):
    start: int
    end: int
    text: str
    type: str
    claimant: Claimant | None = None
    via: tuple[str, ...] = ()
    hedged: bool = False
    checkworthy: float = 0.0
    quantities: tuple[Quantity, ...] = ()
    dates: tuple[DateMention, ...] = ()
    places: tuple[int, ...] = ()
    # What the claim asserts about the state of the world (control, count, blame: docs/assertions.md); the first
    # of ``assertions``, or None when it asserts none.
    asserts: dict[str, Any] | None = None
    assertions: tuple[dict[str, Any], ...] = ()
    _nested: ClassVar[dict[str, Any]] = {"claimant": Claimant, "quantities": Quantity, "dates": DateMention}


@dataclass(frozen=True)
class EventPlace(_Record):
    text: str
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class Event(_Record):
    type: str
    start: int
    end: int
    actor: str | None = None
    target: str | None = None
    place: EventPlace | None = None
    date: str | None = None
    claim: int | None = None
    fatalities: int | None = None
    trigger: Mention | None = None  # the word that reported the event; canonical = its lemma
    _nested: ClassVar[dict[str, Any]] = {"place": EventPlace, "trigger": Mention}


@dataclass(frozen=True)
class Technique(_Record):
    start: int
    end: int
    text: str
    technique: str
    score: float = 0.0


@dataclass(frozen=True)
class Genre(_Record):
    label: str = "reporting"
    score: float = 0.0


@dataclass(frozen=True)
class Source(_Record):
    """Where a document came from; every field may be null."""

    path: str | None = None
    outlet: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD
    author: str | None = None

    def fill(self, **defaults: str | None) -> "Source":
        """A copy whose empty fields take the given defaults (structured metadata wins over CLI options)."""
        values = self.to_dict()
        for key, value in defaults.items():
            if value is not None and not values.get(key):
                values[key] = value
        return Source(**values)


LAYER_TYPES: dict[str, type] = {
    "entities": Entity,
    "places": Place,
    "quotes": Quote,
    "claims": Claim,
    "events": Event,
    "techniques": Technique,
}


class Document:
    """A text and everything known about it. The text never changes after construction.

    Layers (entities, places, quotes, claims, events, techniques) are tuples of frozen records, replaced as a
    whole through :meth:`set_layer`. ``cache`` holds working state shared between pipeline components (such as
    the spaCy parse); it is never serialised. ``duplicate_of`` names an earlier near-identical document.
    """

    def __init__(self, text: str, source: Source | None = None, language: str = "en", **layers: Any):
        if not isinstance(text, str):
            raise DiscernError("E001", f"document text must be str, not {type(text).__name__}")
        lone = LONE_SURROGATE.search(text)
        if lone:
            raise DiscernError("E006", f"document text holds a lone surrogate U+{ord(lone.group()):04X} at index "
                               f"{lone.start()}; decode bytes with errors='replace' (or fix the source) first")
        if "\x00" in text:
            raise DiscernError("E007", f"document text holds a NUL character at index {text.index(chr(0))}; "
                               "replace it first (discernment.model.without_nul puts U+FFFD in its place)")
        self._text = text
        self.source = source or Source()
        self.language = language
        self.genre = layers.pop("genre", None) or Genre()
        self.duplicate_of = layers.pop("duplicate_of", None)
        self.cache: dict[str, Any] = {}
        self._id = text_id(text)
        for name in LAYERS:
            setattr(self, name, ())
        for name, items in layers.items():
            self.set_layer(name, items)

    @property
    def text(self) -> str:
        return self._text

    @property
    def id(self) -> str:
        return self._id

    def set_layer(self, name: str, items: Iterable[Any]) -> None:
        """Replace one annotation layer, checking that every offset points at the text it claims."""
        if name not in LAYER_TYPES:
            raise DiscernError("E002", f"unknown annotation layer {name!r}; known: {', '.join(LAYERS)}")
        items = tuple(items)
        kind = LAYER_TYPES[name]
        for item in items:
            if not isinstance(item, kind):
                raise DiscernError("E003", f"layer {name!r} holds {kind.__name__}, got {type(item).__name__}")
            check_offsets(self._text, item)
        setattr(self, name, items)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "id": self._id,
            "source": self.source.to_dict(),
            "text": self._text,
            "language": self.language,
            "genre": self.genre.to_dict(),
        }
        for name in LAYERS:
            out[name] = [item.to_dict() for item in getattr(self, name)]
        if self.duplicate_of is not None:
            out["duplicate_of"] = self.duplicate_of
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Document":
        layers = {name: [LAYER_TYPES[name].from_dict(d) for d in data.get(name) or []] for name in LAYERS}
        doc = cls(
            data["text"],
            source=Source.from_dict(data.get("source") or {}),
            language=data.get("language") or "en",
            genre=Genre.from_dict(data["genre"]) if data.get("genre") else None,
            duplicate_of=data.get("duplicate_of"),
            **layers,
        )
        if data.get("id") and data["id"] != doc.id:
            raise DiscernError("E004", f"document id {data['id']} does not match its text (expected {doc.id})")
        return doc

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Document) and self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        counts = ", ".join(f"{n}={len(getattr(self, n))}" for n in LAYERS)
        return f"Document(id={self._id[:12]}, chars={len(self._text)}, {counts})"


def _spans_in(record: Any) -> Iterable[Any]:
    """The record itself and every nested record that carries offsets."""
    yield record
    for f in fields(record):
        value = getattr(record, f.name)
        values = value if isinstance(value, tuple) else (value,)
        for v in values:
            if isinstance(v, _Record):
                yield from _spans_in(v)


def check_offsets(text: str, record: Any) -> None:
    """Raise E005 unless every span in ``record`` (nested ones included) lies in ``text`` and matches it."""
    for item in _spans_in(record):
        start, end = getattr(item, "start", None), getattr(item, "end", None)
        if start is None and end is None:
            continue
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)):
            raise DiscernError("E005", f"{type(item).__name__} offsets {start}:{end} outside text of {len(text)}")
        own = getattr(item, "text", None)
        if own is not None and text[start:end] != own:
            raise DiscernError(
                "E005", f"{type(item).__name__} text {own!r} differs from text[{start}:{end}]={text[start:end]!r}"
            )
