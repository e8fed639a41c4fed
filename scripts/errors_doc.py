"""Regenerate docs/errors.md from discernment.errors.CODES (a test checks they agree)."""

from pathlib import Path

from discernment.errors import CODES

HEAD = """# Error codes

Every error discernment reports carries a code. Read errors (E1xx) name the file (and line or entry) and
never stop the other inputs: a corrupt or hostile record (a lone surrogate escape, JSON nested thousands deep,
a number of thousands of digits, an undecodable byte, a line over `readers.max_bytes`) costs only itself, and
the run ends with exit status 1. Store refusals of one document (E603, E604) are reported the same way.
Configuration, date, pipeline, model and store errors (E2xx, E3xx, E4xx, E601, E602, E605) are usage errors:
one line on standard error, exit status 2, nothing half-written.

| code | meaning |
| --- | --- |
"""

path = Path(__file__).resolve().parents[1] / "docs" / "errors.md"
path.write_text(HEAD + "".join(f"| {code} | {text} |\n" for code, text in CODES.items()), encoding="utf-8")
