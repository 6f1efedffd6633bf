"""Is run A better than run B on the same problems, and how sure are we: the paired tests of the Compare
page, and the binomial interval of a bin's accuracy.

* Paired bootstrap: per shared problem, d = A's pass rate − B's (mean over its k samples); resample
  problems with replacement (`evals.metrics.bootstrap_ci`, seeded) for the interval of mean(d). Pairing
  removes the problem-difficulty variance two independent intervals would carry.
* McNemar's exact test on the first sample of each problem (sample_index 0 of both runs): only the
  discordant problems count, b (A right, B wrong) and c (the reverse); under "no difference" b ~
  Binomial(b + c, 1/2). Two-sided p = min(1, 2·P(X ≤ min(b, c))). Exact, so it holds for the 30
  problems of AIME as for the 500 of MATH-500.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from evals import metrics

__all__ = ["mcnemar_exact", "Paired", "paired", "paired_by", "wilson"]


def mcnemar_exact(b: int, c: int) -> float:
    """Two-sided exact McNemar p-value from the discordant counts; 1.0 when there are none."""
    n = b + c
    if n == 0:
        return 1.0
    tail = math.fsum(math.comb(n, i) for i in range(min(b, c) + 1)) / 2.0 ** n
    return min(1.0, 2.0 * tail)


@dataclass(frozen=True)
class Paired:
    problems: int
    delta: float  # mean over shared problems of (rate A − rate B), in [−1, 1]
    low: float
    high: float
    only_a: int  # first samples: A right, B wrong (McNemar's b)
    only_b: int
    p_value: float

    @property
    def significant(self) -> bool:
        return self.p_value < 0.05 or self.low > 0 or self.high < 0


def _joined(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    cols = ["problem_id", "n", "score_sum", "c0"]
    both = a[cols].merge(b[cols], on="problem_id", suffixes=("_a", "_b"))
    both["d"] = both.score_sum_a / both.n_a - both.score_sum_b / both.n_b
    return both


def _paired(both: pd.DataFrame) -> Paired:
    if both.empty:
        return Paired(0, math.nan, math.nan, math.nan, 0, 0, 1.0)
    low, high = metrics.bootstrap_ci(list(both.d))
    first_a, first_b = both.c0_a > 0, both.c0_b > 0
    b, c = int((first_a & ~first_b).sum()), int((~first_a & first_b).sum())
    return Paired(len(both), float(both.d.mean()), low, high, b, c, mcnemar_exact(b, c))


def paired(a: pd.DataFrame, b: pd.DataFrame) -> Paired:
    """A against B over the problems both have (`queries.problem_stats` rows of one run each)."""
    return _paired(_joined(a, b))


def paired_by(a: pd.DataFrame, b: pd.DataFrame, metadata: Mapping[str, Mapping[str, Any]], field: str) -> pd.DataFrame:
    """The paired comparison within each value of a problem field (level, subject ...)."""
    both = _joined(a, b)
    both[field] = [str(metadata.get(p, {}).get(field, "—")) for p in both.problem_id]
    rows = []
    for group, part in sorted(both.groupby(field), key=lambda g: _natural(g[0])):
        r = _paired(part)
        rows.append({field: group, "problems": r.problems, "Δ pass@1 (A−B)": 100 * r.delta, "low": 100 * r.low,
                     "high": 100 * r.high, "only A (1st sample)": r.only_a, "only B (1st sample)": r.only_b,
                     "McNemar p": r.p_value})
    return pd.DataFrame(rows)


def _natural(s: str) -> tuple:
    """"Level 2" before "Level 10" (as `evals.metrics.breakdown` orders its groups)."""
    return tuple(int(p) if p.isdigit() else p.casefold() for p in re.split(r"(\d+)", s))


def wilson(successes: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score interval of a proportion (sound at 0 and 1, unlike the normal approximation)."""
    if n <= 0:
        return (math.nan, math.nan)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))
