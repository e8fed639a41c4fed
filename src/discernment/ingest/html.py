"""HTML pages (``html.v1``): main text and metadata (title, date, author, site name, URL) via trafilatura."""

from __future__ import annotations

from pathlib import Path

from .. import registry
from ..errors import ReadError
from .base import Items, ReadOptions, check_text, make_document, read_limited
from .encoding import decode_bytes


def html_to_document_fields(html: str) -> dict[str, str | None]:
    """trafilatura's main text and metadata for one page; ``text`` is None when no main text is found."""
    import trafilatura

    result = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, favor_recall=True
    )
    if result is None:
        return {"text": None}
    data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    return {
        "text": data.get("text"),
        "title": data.get("title"),
        "published": data.get("date"),
        "author": data.get("author"),
        "outlet": data.get("sitename"),
        "url": data.get("url"),
    }


@registry.readers.register("html.v1")
def read_html(path: Path, shown: str, options: ReadOptions) -> Items:
    try:
        data = read_limited(path, shown, options.max_bytes)
        html = decode_bytes(data, shown, options.fallback_encodings)
        fields = html_to_document_fields(html)
        if not fields["text"] or not fields["text"].strip():
            raise ReadError("E108", shown, "no main text found in the HTML page")
        text = check_text(fields.pop("text"), shown)
    except ReadError as err:
        yield err
        return
    except (ValueError, TypeError, RecursionError) as err:  # lxml gives up on some malformed pages
        yield ReadError("E108", shown, f"HTML could not be parsed: {err}")
        return
    yield make_document(text, options, shown, **fields)
