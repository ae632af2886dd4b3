"""Small, exact statistics: medians, percentiles, spreads and paired ratios. No numpy needed."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(samples: Sequence[float], q: float) -> float:
    """The q-th percentile (0 ≤ q ≤ 100), linear between closest ranks (numpy's default)."""
    if not samples:
        raise ValueError("no samples")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} is outside 0..100")
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(samples: Sequence[float]) -> float:
    return percentile(samples, 50)


def summary(samples: Sequence[float]) -> dict:
    """Median, quartiles, p95, min and max of the samples (all in the samples' unit)."""
    if not samples:
        return {"n": 0}
    return {"n": len(samples), "median": median(samples), "p25": percentile(samples, 25),
            "p75": percentile(samples, 75), "p95": percentile(samples, 95), "min": min(samples),
            "max": max(samples)}


def ratio(numerator: Sequence[float], denominator: Sequence[float]) -> dict:
    """devenv/peer: the ratio of medians, and the spread of the per-round (paired) ratios.

    Rounds alternate the tools, so round i of one and round i of the other ran under about the
    same load: their ratio cancels most of the machine's noise. Samples are paired in order;
    extra samples on either side are left out of the paired spread.
    """
    if not numerator or not denominator:
        return {}
    num, den = median(numerator), median(denominator)
    if den == 0:
        # Both at zero (e.g. idle CPU below the clock tick): no ratio to speak of.
        return {"ratio": None, "both_zero": True} if num == 0 else {"ratio": math.inf}
    result = {"ratio": num / den}
    paired = [a / b for a, b in zip(numerator, denominator, strict=False) if b]
    if paired:
        result.update(paired_median=median(paired), paired_p25=percentile(paired, 25),
                      paired_p75=percentile(paired, 75), pairs=len(paired))
    return result


def fmt_seconds(value: float | None) -> str:
    """0.0123 → '12 ms', 1.5 → '1.50 s'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if value < 1:
        return f"{value * 1000:.0f} ms"
    return f"{value:.2f} s"


def fmt_ratio(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if math.isinf(value):
        return "∞"
    return f"{value:.2f}×"
