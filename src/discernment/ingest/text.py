"""Plain text and Markdown files (``text.v1``). The text is kept exactly as decoded (minus a byte-order mark)."""

from __future__ import annotations

import re
from pathlib import Path

from .. import registry
from ..errors import ReadError
from .base import Items, ReadOptions, check_text, make_document, read_limited
from .encoding import decode_bytes

_MD_TITLE = re.compile(r"\A\s*#\s+(.+?)\s*#*\s*$", re.MULTILINE)
# A headline: a short first line with no closing full stop, followed by a blank line.
_HEADLINE = re.compile(r"\A[ \t]*([^\n]{3,200}?)[ \t]*\r?\n[ \t]*\r?\n")


def guess_title(text: str, markdown: bool) -> str | None:
    """The title of a plain-text or Markdown article, when its first line reads as one."""
    if markdown:
        m = _MD_TITLE.match(text)
        if m:
            return m.group(1)
    m = _HEADLINE.match(text)
    if m and not m.group(1).rstrip().endswith((".", ":", ";", ",")):
        return m.group(1).strip()
    return None


@registry.readers.register("text.v1")
def read_text(path: Path, shown: str, options: ReadOptions) -> Items:
    try:
        data = read_limited(path, shown, options.max_bytes)
        text = check_text(decode_bytes(data, shown, options.fallback_encodings), shown)
    except ReadError as err:
        yield err
        return
    title = guess_title(text, markdown=path.suffix.lower() in (".md", ".markdown"))
    yield make_document(text, options, shown, title=title)


def read_stdin_bytes(data: bytes, options: ReadOptions) -> Items:
    """Standard input as one plain-text document."""
    try:
        yield make_document(check_text(decode_bytes(data, "<stdin>", options.fallback_encodings), "<stdin>"),
                            options, None)
    except ReadError as err:
        yield err
