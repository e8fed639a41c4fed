"""What range of values a quantity allows, and whether two such ranges can both hold."""

from __future__ import annotations

import math


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
