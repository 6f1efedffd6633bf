"""Scores from per-problem counts (`queries.problem_stats`), through evals' own estimators.

SQL reduces a million samples to one row per (run, problem): n samples, c correct, score sum. The
estimators of `evals.metrics` (mean@k with its bootstrap interval over problems, unbiased pass@k,
per-group breakdowns) run on those rows, so the app's numbers are the ones `python -m evals show`
prints. cons@k needs the verifier's answer equivalence, so it is read from the run's results file.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from evals import metrics

__all__ = ["run_summary", "pass_at_k_curve", "breakdown_table", "compare_problems", "powers"]


def powers(k: int) -> list[int]:
    """The k of the pass@k curve: powers of two up to k, and k (as evals' results files have)."""
    return sorted({j for j in (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024) if j <= k} | {k}) if k >= 1 else []


def _flags(row: Any) -> list[bool]:
    return [True] * int(row.c) + [False] * (int(row.n) - int(row.c))


def _pct(e: metrics.Estimate) -> float | None:
    return None if math.isnan(e.value) else 100 * e.value


def _ci(e: metrics.Estimate) -> float | None:
    return None if math.isnan(e.low) else 50 * (e.high - e.low)


def summarise_run(stats: pd.DataFrame, k: int) -> dict[str, Any]:
    """pass@1 ± half its 95% interval, pass@k over problems with k samples, truncation and tokens."""
    if stats.empty:
        return {"problems": 0, "samples": 0}
    pass1 = metrics.mean_at_k([[r.score_sum / r.n] for r in stats.itertuples()])
    complete = stats[stats.n >= k]
    passk = metrics.pass_at_k_estimate([_flags(r) for r in complete.itertuples()], k) if k and len(complete) else None
    samples = int(stats.n.sum())
    return {
        "problems": len(stats), "samples": samples, "verified": int(stats.verified.sum()),
        "pass@1 %": _pct(pass1), "± (95% CI)": _ci(pass1),
        "pass@k %": None if passk is None else _pct(passk),
        "truncated %": 100 * stats.truncated.sum() / samples, "no answer %": 100 * stats.no_answer.sum() / samples,
        "mean tokens": stats.tokens.sum() / samples if stats.tokens.notna().any() else None,
    }


def run_summary(runs: Sequence[Mapping[str, Any]], stats: pd.DataFrame) -> pd.DataFrame:
    """One row per run: identity, live scores from the store, cons@k from its results file."""
    rows = []
    for run in runs:
        mine = stats[stats.run_id == run["run_id"]]
        row = {"model": run["model"], "benchmark": run["benchmark"], "k": run["k"]}
        row.update(summarise_run(mine, run["k"]))
        cons = (run.get("result") or {}).get(f"cons@{run['k']}")
        row["cons@k %"] = None if not cons else 100 * cons["value"]
        row["sampling"] = run["sampling_hash"]
        row["run_id"] = run["run_id"]
        rows.append(row)
    return pd.DataFrame(rows)


def pass_at_k_curve(stats: pd.DataFrame, k: int) -> pd.DataFrame:
    """pass@j for j = 1, 2, 4 ... k with intervals, over problems that have k samples."""
    complete = [_flags(r) for r in stats[stats.n >= k].itertuples()]
    if not complete:
        return pd.DataFrame(columns=["k", "pass@k %", "low", "high"])
    rows = []
    for j in powers(k):
        e = metrics.pass_at_k_estimate(complete, j)
        rows.append({"k": j, "pass@k %": 100 * e.value, "low": 100 * e.low, "high": 100 * e.high})
    return pd.DataFrame(rows)


def breakdown_table(stats: pd.DataFrame, metadata: Mapping[str, Mapping[str, Any]], field: str) -> pd.DataFrame:
    """pass@1 by a problem field (subject, level, difficulty ...) with intervals, via `metrics.breakdown`."""
    rows = [{"problem_id": r.problem_id, "score": r.score_sum / r.n, field: metadata[r.problem_id].get(field)}
            for r in stats.itertuples() if r.problem_id in metadata]
    out = []
    for group, e in metrics.breakdown(rows, by=field).items():
        out.append({field: group, "problems": e.n, "pass@1 %": 100 * e.value,
                    "low": 100 * e.low, "high": 100 * e.high})
    return pd.DataFrame(out)


def compare_problems(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Per problem the two runs share: each one's pass rate and who solves it (at least once)."""
    left = a.assign(rate_a=a.score_sum / a.n, solved_a=a.c > 0)[["problem_id", "rate_a", "solved_a", "n"]]
    right = b.assign(rate_b=b.score_sum / b.n, solved_b=b.c > 0)[["problem_id", "rate_b", "solved_b"]]
    both = left.merge(right, on="problem_id")
    both["delta"] = both.rate_a - both.rate_b
    both["outcome"] = "both fail"
    both.loc[both.solved_a & both.solved_b, "outcome"] = "both solve"
    both.loc[both.solved_a & ~both.solved_b, "outcome"] = "only A solves"
    both.loc[~both.solved_a & both.solved_b, "outcome"] = "only B solves"
    return both.sort_values(["delta", "problem_id"], ascending=[False, True]).reset_index(drop=True)
