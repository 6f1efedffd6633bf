"""A run's results, computed once from the store: its metrics, and what they were measured under.

`compute_run` is the one place a result is assembled: `python -m evals run` (evals.runner) writes
it to `<db>/results/`, and `python -m evals show` (`compute_stored_runs`) recomputes it for every
run in the store, so both carry the same fields (metrics, sampling, verifier and data versions).
Everything is recomputed from stored samples and verdicts, never from what a process remembers, so
a resumed run, a re-score and `show` all report the same numbers. Rendering lives in evals.report.
"""
from __future__ import annotations

import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from . import metrics
from .backends import Sampling
from .benchmarks import Benchmark, Problem, get_benchmark, hub
from .store import Store
from .verifiers.pool import VerifierPool
from .verifiers.signals import SIGNALS
from .verifiers.verdict import SIGNALS_VERSION, VERIFIER_VERSION


def compute_run(store: Store, pool: VerifierPool | None, bench: Benchmark, problems: Sequence[Problem], k: int, *,
                model: str, revision: str, sampling: Sampling, run_id: str, backend: str,
                config: dict[str, Any] | None = None) -> dict[str, Any]:
    """The results of one run over `problems`: metrics, plus its identity, sampling and versions;
    a Codeforces run also its rating (evals.contest_rating) from the standings its `config` names."""
    rows = sample_rows(store, model, revision, sampling.hash, bench, problems, k)
    result = compute(rows, problems, bench, k, pool)
    if bench.name.startswith("codeforces"):
        result["rating"] = _rating(rows, problems, config or {})
    result.update(model=model, revision=revision, run_id=run_id, sampling=sampling.to_dict(),
                  verifier_version=VERIFIER_VERSION, data_version=bench.data_version(list(problems)), backend=backend)
    return result


def _rating(rows: list[dict[str, Any]], problems: Sequence[Problem], config: dict[str, Any]) -> dict[str, Any]:
    from .contest_rating import rating_block
    from .judge.rating import RatingDataError

    rule = config.get("rating_rule") or "per_sample"
    try:
        return rating_block(rows, problems, config.get("standings"), rule, config.get("all_ratings"))
    except (RatingDataError, OSError, ValueError) as exc:  # the metrics stand; the rating says why it is missing
        print(f"[evals] no Codeforces rating: {exc}", file=sys.stderr)
        return {"rule": rule, "error": str(exc)}


def compute_stored_runs(store: Store, pool: VerifierPool, data: dict[str, str] | None = None,
                        model: str | None = None) -> list[dict[str, Any]]:
    """Results of every run in the store (`python -m evals show`), over the problems it has samples for
    (so shards copied into one store are merged)."""
    results = []
    for run in store.runs():
        spec = run["model"]
        if model and spec["name"] != model:
            continue
        bench = get_benchmark(run["benchmark"])
        source = run.get("data_source") or {}  # reread Hub data at the commit the run resolved, not today's main
        same_commit = {bench.name: source["revision_resolved"]} if source.get("revision_resolved") else {}
        try:
            with hub.revisions(same_commit):
                problems = bench.load(data or run["config"].get("data") or {})
        except (FileNotFoundError, ValueError) as exc:
            print(f"[show] skipping {run['run_id']}: {exc}", file=sys.stderr)
            continue
        present = {h for h, _ in store.existing_keys(spec["name"], spec["revision"], run["sampling_hash"],
                                                     [p.prompt_hash for p in problems])}
        problems = list({p.prompt_hash: p for p in problems if p.prompt_hash in present}.values())
        results.append(compute_run(store, pool, bench, problems, run["k"], model=spec["name"],
                                   revision=spec["revision"], sampling=Sampling(**run["sampling"]),
                                   run_id=run["run_id"], backend=run["backend"], config=run["config"]))
    return results


def equivalence(kind: str, pool: VerifierPool | None) -> Callable[[str, str], bool]:
    """How cons@k decides that two extracted answers vote together."""
    if kind == "exact":  # code: programs vote together only when identical
        return lambda a, b: a == b
    if kind == "letter":
        return lambda a, b: a.strip().upper() == b.strip().upper()
    if kind == "integer":
        def same_int(a: str, b: str) -> bool:
            try:
                return int(float(a)) == int(float(b))
            except ValueError:
                return a == b
        return same_int

    @lru_cache(maxsize=65536)
    def same_math(a: str, b: str) -> bool:  # the grader itself decides, bounded by the pool's limits
        if a == b:
            return True
        if pool is None:
            return False
        return pool.verify("math", f"\\boxed{{{a}}}", b).correct

    return same_math


def sample_rows(store: Store, model: str, revision: str, sampling_hash: str, bench: Benchmark,
                problems: Sequence[Problem], k: int) -> list[dict[str, Any]]:
    """One row per stored sample of these problems (index < k) with its current verdict, if any, and its
    text signals as the columns `signal_metrics` reads."""
    rows = store.scored(model, revision, sampling_hash,
                        {"prompt_hash": [p.prompt_hash for p in problems], "pid": [p.id for p in problems]}, k,
                        answer=(bench.verifier, VERIFIER_VERSION), signals=(SIGNALS, SIGNALS_VERSION))
    return [_with_signals(r) for r in rows]


def _with_signals(row: dict[str, Any]) -> dict[str, Any]:
    """A sample's text signals as metrics columns (None where its signal verdict is missing)."""
    signals = {f"{n}_{f}": row.pop(f"{n}_{f}") for n in SIGNALS for f in ("score", "correct", "reason")}

    def reason_is(name: str, reason: str) -> bool | None:
        found = signals[f"{name}_reason"]
        return None if found is None else found == reason

    return {**row, "language_consistency": signals["language_score"],
            "loop": reason_is("repetition", "repetition_loop"), "format_error": reason_is("format", "wrong_format"),
            "readable": signals["readability_correct"]}


def compute(rows: list[dict[str, Any]], problems: Sequence[Problem], bench: Benchmark, k: int,
            pool: VerifierPool | None) -> dict[str, Any]:
    """The metrics of a run from its sample rows: pass@1, pass@k, cons@k, rates, lengths, signals, breakdowns."""
    by_problem: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_problem[row["problem_id"]].append(row)
    complete = [p for p in problems if len(by_problem[p.id]) >= k and all(r["reason"] for r in by_problem[p.id])]
    scored = [by_problem[p.id][:k] for p in complete]
    out: dict[str, Any] = {
        "benchmark": bench.name, "k": k, "problems": len(problems), "problems_scored": len(complete),
        "samples": sum(len(s) for s in scored), "missing_samples": len(problems) * k - len(rows),
    }
    if not scored:
        return out
    flat = [r for s in scored for r in s]
    out["pass@1"] = _est(metrics.mean_at_k([[float(r["score"] or 0.0) for r in s] for s in scored]))
    correct = [[bool(r["correct"]) for r in s] for s in scored]
    out["pass@k"] = {str(j): _est(metrics.pass_at_k_estimate(correct, j)) for j in _powers(k)}
    same = equivalence(bench.answer_equivalence, pool)
    votes = [[(r["normalized"] or r["extracted"], bool(r["correct"])) for r in s] for s in scored]
    out[f"cons@{k}"] = _est(metrics.cons_at_k(votes, k, same))
    out["truncation_rate"] = metrics.rate([r["reason"] == "truncated" for r in flat])
    out["no_answer_rate"] = metrics.rate([r["reason"] == "no_answer" for r in flat])
    out["reasons"] = dict(Counter(r["reason"] for r in flat).most_common())
    tokens = [(r["completion_tokens"], bool(r["correct"])) for r in flat if r["completion_tokens"] is not None]
    out["response_tokens"] = metrics.length_stats([t for t, _ in tokens], [c for _, c in tokens])
    out["signals"] = signal_metrics(flat)
    meta = {p.id: p.metadata for p in complete}
    out["breakdowns"] = {
        field: {g: _est(e) for g, e in metrics.breakdown(
            [{"problem_id": r["problem_id"], "score": float(r["score"] or 0.0), field: meta[r["problem_id"]].get(field)}
             for r in flat], by=field).items()}
        for field in bench.breakdowns
    }
    return out


def signal_metrics(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Per run: mean language consistency of the chains of thought, and the shares of samples that end
    in a loop, break the format, or fail a readability filter (over samples that have signals)."""
    have = [r for r in rows if r.get("language_consistency") is not None]
    if not have:
        return {"samples": 0}
    thinking = [r for r in have if r.get("thinks", True)]
    return {
        "samples": len(have),
        "language_consistency": sum(r["language_consistency"] for r in have) / len(have),
        "loop_rate": metrics.rate([r["loop"] for r in have]),
        # The <think>…</think> format applies to samples that think (a template that opens <think>, a text that
        # writes it, a reasoning channel); for a model that never thinks it says nothing and is None.
        "format_error_rate": metrics.rate([r["format_error"] for r in thinking]) if thinking else None,
        "format_samples": len(thinking),
        "unreadable_rate": metrics.rate([not r["readable"] for r in have]),
    }


def _powers(k: int) -> list[int]:
    return sorted({j for j in (1, 2, 4, 8, 16, 32, 64, 128, 256) if j <= k} | {k})


def _est(e: metrics.Estimate) -> dict[str, float]:
    return {"value": e.value, "low": e.low, "high": e.high, "n": e.n}
