"""Plain text and Markdown files (``text.v1``). The text is kept exactly as decoded (minus a byte-order mark)."""

from __future__ import annotations

import re
from pathlib import Path

from .. import registry
from ..errors import ReadError
from .base import Items, ReadOptions, check_text, make_document, read_limited
from .encoding import decode_bytes

_MD_TITLE = re.compile(r"\A\s*#\s+(.+?)\s*#*\s*$", re.MULTILINE)


@registry.readers.register("text.v1")
def read_text(path: Path, shown: str, options: ReadOptions) -> Items:
    try:
        data = read_limited(path, shown, options.max_bytes)
        text = check_text(decode_bytes(data, shown, options.fallback_encodings), shown)
    except ReadError as err:
        yield err
        return
    title = None
    if path.suffix.lower() in (".md", ".markdown"):
        m = _MD_TITLE.match(text)
        title = m.group(1) if m else None
    yield make_document(text, options, shown, title=title)


def read_stdin_bytes(data: bytes, options: ReadOptions) -> Items:
    """Standard input as one plain-text document."""
    try:
        yield make_document(check_text(decode_bytes(data, "<stdin>", options.fallback_encodings), "<stdin>"),
                            options, None)
    except ReadError as err:
        yield err
