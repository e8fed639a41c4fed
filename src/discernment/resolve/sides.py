"""Which side a claimant or an outlet speaks for, and which source it speaks as.

The table is data (``resources/en/sides.tsv``, documented in its header); a user file given as
``[compare] sides_file`` is read first, so its rows win. A name matches as whole words, case-insensitively,
inside a claimant's canonical name (else its text), else inside the outlet: "spokesman for Ukraine's General
Staff" is the General Staff of Ukraine, "Russian forces" is Russian. The longest matching name wins, so
"Russian Defence Ministry" beats "Russian".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import ConfigError

SIDES = ("RU", "UA", "INT", "UNK")


@dataclass(frozen=True)
class Affiliation:
    side: str  # RU | UA | INT | UNK
    source: str  # the institution spoken for (a spokesman -> his ministry); the name itself when none is known
    kind: str  # official | military | state_media | media | wire | analyst | international | local | unknown
    generic: bool = False  # known only by a side word ("Ukrainian officials", "Russia"): no institution named


UNKNOWN = Affiliation("UNK", "", "unknown")


def _rows(text: str, origin: str) -> list[tuple[str, str, str, str]]:
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.rstrip("\n").split("\t")
        if len(parts) != 4 or parts[1] not in SIDES or not parts[0].strip():
            raise ConfigError("E204", f"{origin}:{n}: a sides row is name<TAB>side<TAB>source<TAB>kind with side "
                                      f"one of {', '.join(SIDES)}; got {line!r}")
        rows.append((parts[0].strip(), parts[1], parts[2].strip(), parts[3].strip() or "unknown"))
    return rows


class SideTable:
    """Names -> :class:`Affiliation`, matched as whole words, longest first."""

    def __init__(self, rows: list[tuple[str, str, str, str]]):
        table: dict[str, Affiliation] = {}
        for name, side, source, kind in rows:
            table.setdefault(name.lower(), Affiliation(side, source, kind))
        self.table = table
        names = sorted(table, key=len, reverse=True)
        self._pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])",
                                   re.IGNORECASE) if names else None

    @classmethod
    def load(cls, user_file: str | Path | None = None) -> "SideTable":
        rows = []
        if user_file:
            path = Path(user_file)
            try:
                rows += _rows(path.read_text(encoding="utf-8"), str(path))
            except OSError as exc:
                raise ConfigError("E204", f"{path}: cannot read the sides file ({exc.strerror or exc})") from exc
        default = resources.files("discernment").joinpath("resources/en/sides.tsv").read_text(encoding="utf-8")
        return cls(rows + _rows(default, "resources/en/sides.tsv"))

    def find(self, name: str | None) -> Affiliation | None:
        """The affiliation of the longest table name inside ``name``, or None."""
        if not name or self._pattern is None:
            return None
        name = name.replace("’", "'").replace("‘", "'")
        best = None
        for m in self._pattern.finditer(name):
            if best is None or len(m.group(0)) > len(best.group(0)):
                best = m
        if best is None:
            return None
        aff = self.table[best.group(0).lower()]
        # a row with no source ("Russian", "Ukraine") gives the side only: the claimant is its own source
        return aff if aff.source else Affiliation(aff.side, name.strip(), aff.kind, generic=True)

    def side(self, name: str | None) -> str | None:
        """RU, UA or INT for a name the table knows; None otherwise."""
        aff = self.find(name)
        return aff.side if aff is not None and aff.side != "UNK" else None

    def affiliation(self, claimant: str | None, outlet: str | None = None) -> Affiliation:
        """The claimant's affiliation; an unknown claimant who is the outlet's own voice takes the outlet's."""
        aff = self.find(claimant)
        if aff is not None:
            return aff
        if claimant and outlet and claimant.strip().lower() != outlet.strip().lower():
            return Affiliation("UNK", claimant.strip(), "unknown")
        return self.find(outlet) or Affiliation("UNK", (claimant or outlet or "").strip(), "unknown")


@lru_cache(maxsize=8)
def side_table(user_file: str | None = None) -> SideTable:
    return SideTable.load(user_file or None)
