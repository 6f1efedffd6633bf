"""Where stored samples meet the verifiers: the answer verdict (math, choice, code ...) through the
verifier pool, and the text signals (language, format, repetition, readability) in this process,
both turned into verdict rows for the store.
"""
from __future__ import annotations

import dataclasses
import json
import sys
from typing import Any

from tqdm import tqdm

from .benchmarks import Benchmark, Problem
from .store import KEY, Store, content_hash
from .verifiers import VERIFIER_VERSION, Verdict, VerifierPool
from .verifiers.answer_region import sample_for_verifier
from .verifiers.language import question_language
from .verifiers.registry import answer_options, kind_of
from .verifiers.signals import SIGNALS, SignalOptions, text_signals
from .verifiers.verdict import SIGNALS_VERSION

# Evaluation counts an equal but unevaluated answer (`4+5` for 9) as correct, and its verdict's
# details name it ("unevaluated"); training rewards and curation refuse it (registry.answer_options).
EVAL_REQUIRE_EVALUATED = False


def eval_verifier_options(verifier: str) -> dict[str, Any]:
    """The policy options evaluation passes to ``verifier`` (written in every run's manifest)."""
    return answer_options(verifier, require_evaluated=EVAL_REQUIRE_EVALUATED)


def answer_policy(verifier: str, *, require_evaluated: bool) -> dict[str, Any]:
    """The policy options a caller's setting gives ``verifier`` (keys sorted): recorded in each answer verdict's
    details as "options", so a verdict is reused only by a caller with the same version and policy
    (curation refuses unevaluated answers, evaluation names them)."""
    return dict(sorted(answer_options(verifier, require_evaluated=require_evaluated).items()))


def policy_key(policy: dict[str, Any]) -> str:
    """The policy as DuckDB writes `json_extract(details, '$.options')`: compact, keys sorted."""
    return json.dumps(policy, sort_keys=True, separators=(",", ":"))


def answer_item(verifier: str, sample: dict[str, Any], reference: Any, verify_opts: dict[str, Any], *,
                require_evaluated: bool) -> tuple:
    """The verifier-pool item of one sample (kind, text, reference, options): the reasoning back inside
    `<think>`, the finish reason, the problem's options and the caller's policy. Evaluation and curation
    both build their items here."""
    text, prefilled = sample_for_verifier(sample["completion"] or "", sample.get("reasoning"),
                                          bool(sample.get("think_prefilled")))
    opts = {"finish_reason": sample.get("finish_reason"), **verify_opts,
            **answer_options(verifier, require_evaluated=require_evaluated, think_prefilled=prefilled)}
    return verifier, text, reference, opts


def verdict_fields(verifier: str, v: Verdict, policy: dict[str, Any] | None = None) -> dict[str, Any]:
    """A verdict in the store's shape (without the sample's key); ``policy``, for answer verdicts, goes into
    details["options"]."""
    details = {**v.details, "options": policy} if policy is not None else v.details
    return {"verifier": verifier, "verifier_version": v.version, "correct": v.correct, "score": v.score,
            "reason": v.reason, "extracted": v.extracted, "normalized": v.normalized, "method": v.method,
            "details": json.dumps(details, default=str, ensure_ascii=False)}


def verdict_row(sample: dict[str, Any], verifier: str, v: Verdict,
                policy: dict[str, Any] | None = None) -> dict[str, Any]:
    """The verdict on `sample` as a store row, tied to the text it judged by `sample_hash`."""
    return {**{f: sample[f] for f in (*KEY, "benchmark", "problem_id")}, "sample_hash": content_hash(sample),
            **verdict_fields(verifier, v, policy)}


def judge_timeout(items: list) -> float | None:
    """Code is judged test by test: allow compiling (and a checker) plus every test's wall limit.
    `items` are verifier-pool items (kind, completion, reference, opts); None when none is code."""
    code = [ref for kind, _, ref, *_ in items if kind == "code"]
    if not code:
        return None
    return max(120 + len(ref["tests"]) * (2 * ref.get("time_limit_s", 2.0) + 1) for ref in code)


def verify_samples(pool: VerifierPool, bench: Benchmark, problems: dict[str, Problem],
                   samples: list[dict], desc: str | None = None) -> list[dict[str, Any]]:
    """Answer-verdict rows for sample rows, verified in the pool."""
    items = [answer_item(bench.verifier, s, problems[s["problem_id"]].reference, problems[s["problem_id"]].verify_opts,
                         require_evaluated=EVAL_REQUIRE_EVALUATED) for s in samples]
    bar = tqdm(total=len(items), desc=desc, unit="sample", file=sys.stderr) if desc else None

    def progress(done: int, total: int) -> None:
        bar.update(done - bar.n)

    verdicts = pool.verify_batch(items, progress=progress if bar else None, timeout=judge_timeout(items))
    if bar:
        bar.close()
    policy = answer_policy(bench.verifier, require_evaluated=EVAL_REQUIRE_EVALUATED)
    return [verdict_row(s, bench.verifier, v, policy) for s, v in zip(samples, verdicts)]


def signal_samples(bench: Benchmark, problems: dict[str, Problem], samples: list[dict]) -> list[dict[str, Any]]:
    """Text-signal rows (four per sample); the target language is the bare question's (no system message,
    no English instruction)."""
    options = SignalOptions(require_boxed=kind_of(bench.verifier).wants_boxed)  # the prompt asked for \boxed{}
    targets: dict[str, str] = {}
    rows = []
    for s in samples:
        problem = problems[s["problem_id"]]
        if problem.id not in targets:
            targets[problem.id] = question_language(problem.text or list(problem.messages))
        text, prefilled = sample_for_verifier(s["completion"] or "", s.get("reasoning"), bool(s.get("think_prefilled")))
        found = text_signals(text, think_prefilled=prefilled, finish_reason=s.get("finish_reason"),
                             options=dataclasses.replace(options, target_language=targets[problem.id]))
        rows.extend(verdict_row(s, name, v) for name, v in found.items())
    return rows


def score_samples(pool: VerifierPool, bench: Benchmark, problems: dict[str, Problem], samples: list[dict],
                  desc: str | None = None) -> list[dict[str, Any]]:
    """Answer verdicts and text signals for samples; a sample flagged `needs_verdict` or `needs_signals`
    False (by `unscored_samples`) skips that part."""
    answer = [s for s in samples if s.get("needs_verdict", True)]
    signals = [s for s in samples if s.get("needs_signals", True)]
    rows = verify_samples(pool, bench, problems, answer, desc) if answer else []
    return rows + signal_samples(bench, problems, signals)


def unscored_samples(store: Store, model: str, revision: str, sampling_hash: str, bench: Benchmark,
                     prompt_hashes: list[str]) -> list[dict[str, Any]]:
    """Stored samples missing the answer verdict or the text signals of the current versions."""
    return store.unscored(model, revision, sampling_hash, prompt_hashes, answer=(bench.verifier, VERIFIER_VERSION),
                          signal=(SIGNALS[0], SIGNALS_VERSION))
