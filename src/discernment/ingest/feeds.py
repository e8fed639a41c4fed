"""RSS and Atom feeds (``feed.v1``) via feedparser: one document per entry, HTML content reduced to text."""

from __future__ import annotations

import time
from pathlib import Path

from .. import registry
from ..errors import ReadError
from ..model import Document
from .base import Items, ReadOptions, make_document, read_limited
from .encoding import sniff_binary


def _entry_text(entry) -> str | None:
    contents = entry.get("content") or []
    html = max((c.get("value") or "" for c in contents), key=len, default="") or entry.get("summary") or ""
    if not html.strip():
        return None
    if "<" not in html:
        return html.strip()
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except (ValueError, TypeError, lxml.etree.ParserError):
        return html.strip()
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    blocks = [" ".join(el.text_content().split()) for el in root.xpath("//p|//li|//h1|//h2|//h3|//blockquote")]
    blocks = [b for b in blocks if b]
    return "\n\n".join(blocks) if blocks else " ".join(root.text_content().split())


def _entry_date(entry) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed:
        return time.strftime("%Y-%m-%d", parsed)
    return entry.get("published") or entry.get("updated")


def feed_documents(data: bytes, shown: str, options: ReadOptions) -> Items:
    import feedparser

    if sniff_binary(data):
        yield ReadError("E103", shown, f"binary file ({sniff_binary(data)}), not a feed")
        return
    try:
        feed = feedparser.parse(data)
    except (ValueError, LookupError) as err:  # e.g. non-UTF-8 bytes in the XML declaration's encoding name
        yield ReadError("E109", shown, f"not a readable RSS/Atom feed: {type(err).__name__}: {err}")
        return
    if not feed.entries:
        reason = f"not a readable RSS/Atom feed: {feed.get('bozo_exception')}" if feed.bozo else "feed has no entries"
        yield ReadError("E109", shown, reason)
        return
    outlet = feed.feed.get("title")
    items = []
    for number, entry in enumerate(feed.entries, 1):
        text = _entry_text(entry)
        if not text:
            items.append(ReadError("E102", f"{shown}#entry{number}", "feed entry has no text"))
            continue
        items.append(make_document(text, options, shown, title=entry.get("title"), url=entry.get("link"),
                                   published=_entry_date(entry), author=entry.get("author"), outlet=outlet))
    if feed.bozo and not any(isinstance(i, Document) for i in items):
        yield ReadError("E109", shown, f"not a readable RSS/Atom feed: {feed.get('bozo_exception')}")
        return
    yield from items


@registry.readers.register("feed.v1")
def read_feed(path: Path, shown: str, options: ReadOptions) -> Items:
    try:
        data = read_limited(path, shown, options.max_bytes)
    except ReadError as err:
        yield err
        return
    if not data.strip():
        yield ReadError("E102", shown, "empty file")
        return
    yield from feed_documents(data, shown, options)


def read_feed_url(url: str, options: ReadOptions) -> Items:
    from .fetch import fetch_url

    try:
        data = fetch_url(url, options.url_timeout, options.url_max_bytes, options.url_allow_private)
    except ReadError as err:
        yield err
        return
    except (ValueError, UnicodeError, OSError) as err:  # fetch_url maps these itself; a URL never stops a run
        yield ReadError("E110", url, f"fetch failed: {type(err).__name__}: {err}")
        return
    yield from feed_documents(data, url, options)
