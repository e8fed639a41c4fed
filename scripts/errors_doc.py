"""Regenerate docs/errors.md from discernment.errors.CODES (a test checks they agree)."""

from pathlib import Path

from discernment.errors import CODES

HEAD = """# Error codes

Every error discernment reports carries a code. Read errors (E1xx) name the file (and line or entry) and
never stop the other inputs; configuration, pipeline and model errors (E2xx, E3xx, E4xx) are usage errors
(exit status 2).

| code | meaning |
| --- | --- |
"""

path = Path(__file__).resolve().parents[1] / "docs" / "errors.md"
path.write_text(HEAD + "".join(f"| {code} | {text} |\n" for code, text in CODES.items()), encoding="utf-8")
