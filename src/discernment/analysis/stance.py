"""Who holds a place according to a territorial claim, and what range a quantity allows.

Rules over the claim text: the first control verb (capture, loss, hold), the side named nearest before it
(its subject, usually), and a denial that flips the outcome ("Ukraine denied Russian claims that Moscow's
forces had captured Kupiansk" -> Ukraine holds it). Transparent and conservative: a claim whose holder
cannot be read returns None and takes no part in control comparisons.
"""

from __future__ import annotations

import math
import re

RU = "RU"
UA = "UA"

_SIDES = [
    (RU, re.compile(r"\b(?:Russian|Russia(?:'s|’s)?|Moscow(?:'s|’s)?|Kremlin|pro-Russian|DPR|LPR|Wagner|Rosgvardia)\b")),
    (UA, re.compile(r"\b(?:Ukrainian|Ukraine(?:'s|’s)?|Kyiv(?:'s|’s)?|Kiev(?:'s|’s)?|AFU|ZSU|Zelensky(?:y)?)\b")),
]
_CAPTURE = re.compile(
    r"\b(?:captur(?:e|ed|es|ing)|seiz(?:e|ed|es|ing)|(?:took|taken|take|takes|taking|established|gained|regained|"
    r"retook|retaken)\s+(?:full\s+|complete\s+)?control|liberat(?:e|ed|es|ing)|occup(?:y|ied|ies|ying)|"
    r"re-?captur(?:e|ed|ing)|retook|retaken|reclaim(?:ed)?|took\s+back|won\s+back|overr(?:an|un)|"
    r"entered|storm(?:ed)?|cleared|took)\b", re.IGNORECASE)
_LOSS = re.compile(
    r"\b(?:withdr(?:ew|awn|aw|awing)|retreat(?:ed|ing|s)?|pull(?:ed|ing)?\s+(?:out|back)|abandon(?:ed|ing)?|"
    r"lost\s+control|fled|regroup(?:ed|ing)?|evacuated\s+(?:its|their)\s+troops)\b", re.IGNORECASE)
_HOLD = re.compile(r"\b(?:(?:still\s+)?hold(?:s|ing)?|held|repel(?:led|s)?|repuls(?:ed|es)|defend(?:ed|ing)?|"
                   r"remain(?:s|ed)?\s+in\s+control|control(?:s|led)?)\b", re.IGNORECASE)
_DENIAL = re.compile(r"\b(?:den(?:y|ied|ies|ying)|false|untrue|not\s+true|fake|refuted?|rejected|dismissed|"
                     r"no\s+truth|disinformation)\b", re.IGNORECASE)


def _side_before(text: str, pos: int) -> str | None:
    best, best_pos = None, -1
    for side, pattern in _SIDES:
        for m in pattern.finditer(text, 0, pos):
            if m.start() > best_pos:
                best, best_pos = side, m.start()
    return best


def _other(side: str | None) -> str | None:
    return {RU: UA, UA: RU}.get(side or "")


def side_of(name: str | None) -> str | None:
    """RU or UA when a name (a claimant, an outlet) belongs to one side; None otherwise."""
    if not name:
        return None
    for side, pattern in _SIDES:
        if pattern.search(name):
            return side
    return None


_BY_AGENT = re.compile(r"\s+by\s+(?:the\s+)?(?P<side>Russian|Russia|Moscow|Ukrainian|Ukraine|Kyiv|Kiev|"
                       r"pro-Russian|separatist|DPR|LPR|Wagner)", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(?:we|our|us)\b", re.IGNORECASE)


_SIDE_WORDS = (r"(?P<side>Russian|Russia|Moscow|Ukrainian|Ukraine|Kyiv|Kiev|pro-Russian|separatist|DPR|LPR|"
               r"Wagner)(?:'s|’s)?")
_HELD_BEFORE = re.compile(_SIDE_WORDS + r"[- ](?:held|controlled|occupied|run)\b[^.;]{0,40}$", re.IGNORECASE)
_UNDER_CONTROL = re.compile(r"under\s+(?:the\s+)?(?:control\s+of\s+(?:the\s+)?" + _SIDE_WORDS + r"|"
                            + _SIDE_WORDS.replace("?P<side>", "?P<side2>") + r"\s+control)", re.IGNORECASE)
_FORMERLY = re.compile(r"\b(?:previously|until\s+recently|formerly|once|had\s+been)\s+(?:been\s+)?"
                       r"(?:held|controlled|occupied|under)\b", re.IGNORECASE)


def _side_word(word: str | None) -> str | None:
    return side_of(word) or ({"separatist": RU, "dpr": RU, "lpr": RU}.get((word or "").lower()))


def holder_near(text: str, town: str, claimant: str | None = None, window: int = 90) -> str | None:
    """RU or UA: who the claim says holds ``town``, read from the words around its mention only.

    "the Russian-held town of X", "X, under Ukrainian control", "X, previously held by Russian troops" (a
    past holder: the other side holds it now), else the control verb logic of :func:`control_holder` on the
    clause around the mention. None when the town is not named in the text or nothing says who holds it.
    """
    pos = text.lower().find(town.lower())
    if pos < 0:
        return None
    before = text[max(0, pos - 45):pos]
    held = _HELD_BEFORE.search(before)
    if held:
        return _side_word(held.group("side"))
    left, right = max(0, pos - window), min(len(text), pos + len(town) + window)
    context = text[left:right]
    under = _UNDER_CONTROL.search(context)
    if under:
        side = _side_word(under.group("side") or under.group("side2"))
        return _other(side) if _FORMERLY.search(context) else side
    holder = control_holder(context, claimant)
    if holder and _FORMERLY.search(context):
        return _other(holder)
    return holder


def control_holder(text: str, claimant: str | None = None) -> str | None:
    """RU or UA: the side the claim says holds the place; None when the claim does not say.

    ``claimant`` resolves first-person subjects ("our defenders hold the city", said Ukraine's General Staff).
    """
    found = []
    for kind, pattern in (("capture", _CAPTURE), ("loss", _LOSS), ("hold", _HOLD)):
        m = pattern.search(text)
        if m:
            found.append((m.start(), kind, m.end()))
    if not found:
        return None
    pos, kind, end = min(found)
    passive = _BY_AGENT.match(text, end)
    actor = _side_word(passive.group("side")) if passive else _side_before(text, pos)
    if actor is None and _FIRST_PERSON.search(text, 0, pos):
        actor = side_of(claimant)
    if actor is None:
        return None
    holder = _other(actor) if kind == "loss" else actor
    denial = _DENIAL.search(text)
    if denial and denial.start() < pos and kind in ("capture",):
        # "X denied that Y captured P": the denier's side says it still holds P.
        holder = _other(holder)
    return holder


def quantity_range(q: dict) -> tuple[float, float] | None:
    """[low, high] a quantity allows: an exact value is a point, "over N" is [N, inf)."""
    value, low, high = q.get("value"), q.get("low"), q.get("high")
    if low is None and high is None:
        if value is None:
            return None
        return (float(value), float(value))
    return (float(low) if low is not None else -math.inf, float(high) if high is not None else math.inf)


def ranges_overlap(a: tuple[float, float], b: tuple[float, float], tolerance: float = 0.1) -> bool:
    """Whether two ranges overlap, allowing ``tolerance`` relative slack for rounded figures ("about 400")."""
    slack_a = tolerance * max(abs(a[0]), abs(a[1]) if math.isfinite(a[1]) else 0)
    slack_b = tolerance * max(abs(b[0]), abs(b[1]) if math.isfinite(b[1]) else 0)
    return a[0] - slack_a <= b[1] + slack_b and b[0] - slack_b <= a[1] + slack_a
