"""What every reader shares: options from the settings, the item type readers yield, metadata helpers."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Union

from ..config import Config, defaults
from ..errors import DiscernError, ReadError
from ..model import Document, Source, without_nul

ReadItem = Union[Document, ReadError]

# [readers.table] keys whose field is named differently in Source.
_FIELD_NAMES = {"date_fields": "published"}


_READERS, _URL = defaults("readers"), defaults("readers.url")  # every default is written in default.toml


@dataclass(frozen=True)
class ReadOptions:
    """Reader settings plus the metadata given on the command line (which only fills gaps)."""

    max_bytes: int = _READERS.max_bytes
    fallback_encodings: tuple[str, ...] = tuple(_READERS.fallback_encodings)
    table_fields: dict[str, tuple[str, ...]] = field(default_factory=dict)
    url_timeout: float = _URL.timeout
    url_max_bytes: int = _URL.max_bytes
    url_allow_private: bool = _URL.allow_private
    extensions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    defaults: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: Config, **defaults: str | None) -> "ReadOptions":
        table = config.section("readers.table")
        return cls(
            max_bytes=config["readers.max_bytes"],
            fallback_encodings=tuple(config["readers.fallback_encodings"]),
            table_fields={_FIELD_NAMES.get(k, k.removesuffix("_fields")): tuple(v) for k, v in table.items()},
            url_timeout=config["readers.url.timeout"],
            url_max_bytes=config["readers.url.max_bytes"],
            url_allow_private=config["readers.url.allow_private"],
            extensions={
                kind: tuple(e.lower() for e in config[f"readers.{kind}_extensions"])
                for kind in ("text", "html", "table", "feed")
            },
            defaults={k: v for k, v in defaults.items() if v is not None},
        )

    def reader_for(self, path: Path) -> str | None:
        """The reader kind for a file name, or None when the extension is not supported."""
        suffix = path.suffix.lower()
        for kind, suffixes in self.extensions.items():
            if suffix in suffixes:
                return kind
        return None


def make_document(text: str, options: ReadOptions, path: str | None, **meta: str | None) -> Document:
    """A Document whose own metadata wins and whose gaps take the command-line defaults."""
    meta = {k: (without_nul(v).strip() if isinstance(v, str) else v) or None for k, v in meta.items()}
    if meta.get("published"):
        meta["published"] = normalise_date(meta["published"])
    source = Source(path=path, **meta).fill(**options.defaults)
    if not source.outlet and source.url:  # no outlet column or option: the URL's host, as the store groups it
        host = url_host(source.url)
        if host:
            source = Source(**{**source.to_dict(), "outlet": host})
    try:
        return Document(without_nul(text), source=source)
    except DiscernError as err:  # a lone surrogate (E006): no reader decodes one; a caller's text may hold one
        raise ReadError(err.code, path or "<request>", err.message) from None


def url_host(url: str) -> str | None:
    """The host of an http(s) URL without ``www.`` ("https://www.bbc.co.uk/news/x" -> "bbc.co.uk"), else None."""
    from urllib.parse import urlparse

    try:
        parsed = urlparse(url.strip())
        host = parsed.hostname if parsed.scheme in ("http", "https") else None
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def shown_path(path: str) -> str:
    """A file name as it can be printed and written to JSON: bytes that are not UTF-8 (which Python keeps as
    lone surrogates) become ``\\xNN`` escapes."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def check_text(text: str, path: str) -> str:
    if not text.strip():
        raise ReadError("E102", path, "empty or whitespace-only text")
    return text


_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


# Publication dates outside these years are read as faults (a feed's "0000-00-00", a bare "12"), not as dates.
FIRST_YEAR = 1900


def plausible(day: dt.date) -> bool:
    """A publication date between 1900 and a year from today."""
    return FIRST_YEAR <= day.year and day <= dt.date.today() + dt.timedelta(days=366)


def normalise_date(value: str | None) -> str | None:
    """A date string in any common format as YYYY-MM-DD, or None when it cannot be read as a whole date.

    A date must name its day, month and year ("12" or "March 2024" is no publication date) and fall between
    1900 and a year from today.
    """
    if not value:
        return None
    value = value.strip()
    if not re.search(r"\d", value) or len(value) > 200:
        return None
    m = _ISO_DAY.match(value)
    if m:
        try:
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
        return day.isoformat() if plausible(day) else None
    for fmt in ("%m/%d/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d/%m/%Y"):
        try:
            day = dt.datetime.strptime(value[:10], fmt).date()
        except ValueError:
            continue
        return day.isoformat() if plausible(day) else None
    import dateparser

    # A fixed language list: with none, dateparser loads every locale on first use (seconds per process).
    parsed = dateparser.parse(value, languages=["en", "ru", "uk"],
                              settings={"REQUIRE_PARTS": ["day", "month", "year"],
                                        "RETURN_AS_TIMEZONE_AWARE": False})
    return parsed.date().isoformat() if parsed and plausible(parsed.date()) else None


def date_option(value: str | None, option: str = "--published") -> str | None:
    """A date given on the command line as YYYY-MM-DD; raise E206 naming the option when it is not one."""
    if value is None or value == "":
        return None
    day = normalise_date(value)
    if day is None:
        raise DiscernError("E206", f"{option} {value!r} is not a date: give a whole date as YYYY-MM-DD, "
                                   f"between {FIRST_YEAR} and next year")
    return day


def read_limited(path: Path, shown: str, max_bytes: int) -> bytes:
    """The bytes of a file, refusing files over the limit (E111) and unreadable ones (E101)."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ReadError(
                "E111", shown, f"file is {size:,} bytes, over the limit of {max_bytes:,} (readers.max_bytes)"
            )
        with path.open("rb") as fh:
            return fh.read(max_bytes + 1)
    except ReadError:
        raise
    except OSError as err:
        raise ReadError("E101", shown, f"cannot open: {err.strerror or err}") from None


Items = Iterator[ReadItem]
