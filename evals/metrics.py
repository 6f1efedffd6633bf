"""Estimators for benchmark scores: pure functions over per-problem results, no I/O.

What is computed, and from where:

* ``pass_at_k`` -- the unbiased pass@k estimator of Chen et al. 2021, "Evaluating Large Language
  Models Trained on Code" (arXiv:2107.03374): with n samples of which c are correct,
  pass@k = 1 - C(n-c, k) / C(n, k), evaluated as a product so that large n does not overflow.
* ``mean_at_k`` -- pass@1 as the DeepSeek-R1 paper reports it (DeepSeek-AI 2025, "DeepSeek-R1:
  Incentivizing Reasoning Capability in LLMs via Reinforcement Learning", arXiv:2501.12948):
  k samples per problem at temperature 0.6, pass@1 = mean correctness over the k samples, then
  mean over problems.
* ``cons_at_k`` -- cons@k from the same paper: a majority vote over the k extracted answers,
  the problem counts as solved when the winning answer is correct.
* ``bootstrap_ci`` -- a percentile bootstrap over problems (samples of one problem are not
  independent, so problems are the resampling unit), seeded and deterministic.

Scores are fractions in [0, 1]; ``Estimate.fmt`` renders them in percent.
"""
from __future__ import annotations

import math
import re
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "Estimate",
    "bootstrap_ci",
    "breakdown",
    "cons_at_k",
    "length_stats",
    "majority_vote",
    "mean_at_k",
    "pass_at_k",
    "pass_at_k_estimate",
    "rate",
    "vote_classes",
]

Same = Callable[[str, str], bool]


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased pass@k (Chen et al. 2021) for n samples of which c are correct.

    1 - C(n-c, k)/C(n, k) = 1 - prod_{i=n-c+1}^{n} (1 - k/i), which stays finite for any n.
    """
    if n < 0 or c < 0 or k < 1:
        raise ValueError(f"pass_at_k needs n >= 0, c >= 0 and k >= 1, got n={n}, c={c}, k={k}")
    if c > n:
        raise ValueError(f"pass_at_k: c={c} correct samples is more than n={n} samples")
    if k > n:
        raise ValueError(f"pass_at_k: k={k} is more than the n={n} samples drawn")
    if n - c < k:  # every k-subset contains a correct sample
        return 1.0
    return 1.0 - math.prod(1.0 - k / i for i in range(n - c + 1, n + 1))


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its confidence interval; ``n`` is the number of problems."""

    value: float
    low: float
    high: float
    n: int

    def fmt(self, percent: bool = True, digits: int | None = None) -> str:
        """``"43.3 [38.2, 48.4]"`` (percent) or ``"0.433 [0.382, 0.484]"``; no interval when it is NaN."""
        scale, d = (100.0, 1) if percent else (1.0, 3)
        d = d if digits is None else digits
        head = f"{self.value * scale:.{d}f}"
        if math.isnan(self.low) or math.isnan(self.high):
            return head
        return f"{head} [{self.low * scale:.{d}f}, {self.high * scale:.{d}f}]"

    def __str__(self) -> str:
        """``"43.3 ± 5.1"`` in percent, ± being half the interval's width."""
        head = f"{self.value * 100:.1f}"
        if math.isnan(self.low) or math.isnan(self.high):
            return head
        return f"{head} ± {(self.high - self.low) * 50:.1f}"


BOOTSTRAP_CHUNK = 4_000_000  # indices drawn per block (32 MB)


def bootstrap_ci(
    per_problem: Sequence[float], *, resamples: int = 1000, confidence: float = 0.95, seed: int = 0
) -> tuple[float, float]:
    """Percentile bootstrap interval for the mean of ``per_problem``; same seed, same interval."""
    if resamples < 1:
        raise ValueError(f"bootstrap_ci: resamples must be >= 1, got {resamples}")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"bootstrap_ci: confidence must be in (0, 1), got {confidence}")
    values = [float(v) for v in per_problem]
    m = len(values)
    if m == 0:
        return (math.nan, math.nan)
    if m == 1:
        return (values[0], values[0])
    import numpy as np

    data, rng = np.asarray(values), np.random.default_rng(seed)
    rows = max(1, BOOTSTRAP_CHUNK // m)  # resamples drawn a block at a time: memory stays bounded for any m
    means = np.concatenate([data[rng.integers(0, m, size=(min(rows, resamples - done), m))].mean(axis=1)
                            for done in range(0, resamples, rows)])
    alpha = (1.0 - confidence) / 2.0
    low, high = np.quantile(means, [alpha, 1.0 - alpha])  # linear interpolation between order statistics
    return (float(low), float(high))


def _estimate(per_problem: Sequence[float], **ci_kwargs) -> Estimate:
    if not per_problem:
        return Estimate(math.nan, math.nan, math.nan, 0)
    low, high = bootstrap_ci(per_problem, **ci_kwargs)
    return Estimate(math.fsum(per_problem) / len(per_problem), low, high, len(per_problem))


def mean_at_k(per_problem_scores: Sequence[Sequence[float]], **ci_kwargs) -> Estimate:
    """pass@1 as in DeepSeek-R1: mean over each problem's samples, then over problems."""
    means = []
    for i, scores in enumerate(per_problem_scores):
        if len(scores) == 0:
            raise ValueError(f"mean_at_k: problem {i} has no samples")
        means.append(math.fsum(float(s) for s in scores) / len(scores))
    return _estimate(means, **ci_kwargs)


def pass_at_k_estimate(per_problem_correct: Sequence[Sequence[bool]], k: int, **ci_kwargs) -> Estimate:
    """Mean over problems of the unbiased pass@k; every problem needs at least k samples."""
    values = []
    for i, flags in enumerate(per_problem_correct):
        n = len(flags)
        if k > n:
            raise ValueError(f"pass@{k}: problem {i} has only n={n} samples, fewer than k={k}")
        values.append(pass_at_k(n, sum(bool(f) for f in flags), k))
    return _estimate(values, **ci_kwargs)


def vote_classes(answers: Sequence[str | None], same: Same) -> list[list[int]]:
    """Group the non-None answers into classes of equivalent answers, as index lists.

    Each answer is compared with ``same(representative, answer)`` against the first member of
    every class so far, in order; identical strings join without a call to ``same``. Classes come
    in order of first appearance.
    """
    classes: list[list[int]] = []
    for i, answer in enumerate(answers):
        if answer is None:
            continue
        for cls in classes:
            rep = answers[cls[0]]
            assert rep is not None
            if rep == answer or same(rep, answer):
                cls.append(i)
                break
        else:
            classes.append([i])
    return classes


def majority_vote(answers: Sequence[str | None], same: Same) -> int | None:
    """Index of the winning class's representative: the largest class, ties to the earliest.

    None when every answer is None.
    """
    classes = vote_classes(answers, same)
    if not classes:
        return None
    # max() keeps the first of equal keys, and classes are in order of first appearance
    return max(classes, key=len)[0]


def cons_at_k(
    per_problem: Sequence[Sequence[tuple[str | None, bool]]], k: int | None, same: Same, **ci_kwargs
) -> Estimate:
    """cons@k (DeepSeek-R1): majority vote over the first k (answer, correct) samples of each problem.

    A problem scores 1 when the winning class's representative is correct, 0 otherwise or when
    nothing was extracted. ``k=None`` votes over all samples.
    """
    if k is not None and k < 1:
        raise ValueError(f"cons@k needs k >= 1, got k={k}")
    scores = []
    for i, samples in enumerate(per_problem):
        if len(samples) == 0 or (k is not None and len(samples) < k):
            raise ValueError(f"cons@{k}: problem {i} has only n={len(samples)} samples")
        votes = samples if k is None else samples[:k]
        winner = majority_vote([answer for answer, _ in votes], same)
        scores.append(1.0 if winner is not None and votes[winner][1] else 0.0)
    return _estimate(scores, **ci_kwargs)


def length_stats(tokens: Sequence[int], correct: Sequence[bool]) -> dict[str, float | int | None]:
    """Mean and median completion length overall, over correct and over wrong samples."""
    if len(tokens) != len(correct):
        raise ValueError(f"length_stats: {len(tokens)} lengths but {len(correct)} correctness flags")
    right = [t for t, ok in zip(tokens, correct) if ok]
    wrong = [t for t, ok in zip(tokens, correct) if not ok]

    def mean(xs: Sequence[int]) -> float | None:
        return math.fsum(xs) / len(xs) if xs else None

    def median(xs: Sequence[int]) -> float | None:
        return float(statistics.median(xs)) if xs else None

    return {
        "mean": mean(tokens),
        "median": median(tokens),
        "mean_correct": mean(right),
        "mean_wrong": mean(wrong),
        "median_correct": median(right),
        "median_wrong": median(wrong),
        "n": len(tokens),
    }


def rate(flags: Sequence[bool]) -> float | None:
    """Share of true flags; None when there are none."""
    return sum(bool(f) for f in flags) / len(flags) if flags else None


def _natural_key(s: str) -> tuple:
    """Sort key for which "Level 2" < "Level 10": runs of digits compare as numbers."""
    parts = re.split(r"(\d+)", s)
    # split alternates text, digits, text ..., so every position holds one type
    return (tuple(int(p) if i % 2 else p.casefold() for i, p in enumerate(parts)), s)


def breakdown(
    rows: Sequence[Mapping], by: str, score: str = "score", problem: str = "problem_id", **ci_kwargs
) -> dict[str, Estimate]:
    """Per-group estimates from per-sample rows: group by ``str(row[by])``, average each problem's
    samples, then average problems (as ``mean_at_k``). Keys in natural order."""
    groups: dict[str, dict[object, list[float]]] = {}
    for row in rows:
        per_problem = groups.setdefault(str(row[by]), {})
        per_problem.setdefault(row[problem], []).append(float(row[score]))
    return {
        key: mean_at_k(list(groups[key].values()), **ci_kwargs)
        for key in sorted(groups, key=_natural_key)
    }
