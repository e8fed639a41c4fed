import re
from pathlib import Path

from discernment.errors import CODES

REPO = Path(__file__).resolve().parents[1]


def test_docs_error_table_lists_every_code():
    table = (REPO / "docs" / "errors.md").read_text(encoding="utf-8")
    for code in CODES:
        assert f"| {code} |" in table


def test_docs_every_code_raised_in_the_source_is_explained():
    used = set()
    for path in (REPO / "src" / "discernment").rglob("*.py"):
        used.update(re.findall(r"Error\(\s*\"(E\d{3})\"", path.read_text(encoding="utf-8")))
    assert used <= set(CODES), sorted(used - set(CODES))


def test_docs_readme_starts_with_the_two_commands():
    head = (REPO / "README.md").read_text(encoding="utf-8").split("```")[1]
    assert "scripts/setup.sh" in head and "discern analyze examples/" in head and "scripts/test.sh" in head
