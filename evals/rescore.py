"""Re-verify stored samples with the current verifiers (`python -m evals rescore`).

A re-score never generates and never overwrites: it appends verdict rows for samples whose verdict
of the current verifier version is missing or different, and lists every flip (old verdict, new
verdict), so a verifier change is reviewed sample by sample before anyone trusts the new numbers.
"""
from __future__ import annotations

import json
import sys
from typing import Any

from .benchmarks import Benchmark, Problem, get_benchmark
from .scoring import signal_samples, verify_samples
from .store import Store, sample_key
from .verifiers.pool import VerifierPool
from .verifiers.signals import SIGNALS
from .verifiers.verdict import SIGNALS_VERSION

CHUNK = 1024  # samples verified (and their changed verdicts written) per step


def _problems_by_hash(bench: Benchmark, data: dict[str, str]) -> dict[str, Problem]:
    return {p.prompt_hash: p for p in bench.load(data)}


def rescore(store: Store, pool: VerifierPool, *, model: str | None = None, benchmarks: list[str] | None = None,
            data: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Verify every stored sample again; write changed or new-version verdicts; return the flips."""
    flips: list[dict[str, Any]] = []
    for name in benchmarks or store.benchmarks():
        bench = get_benchmark(name)
        problems = _problems_by_hash(bench, data or {})
        samples, previous = store.samples(list(problems), model), store.latest_verdicts(bench.verifier)
        if not samples:
            continue
        for s in samples:
            s["problem_id"] = problems[s["prompt_hash"]].id
        print(f"[rescore] {name}: verifying {len(samples)} samples", file=sys.stderr)
        by_id, written = {p.id: p for p in problems.values()}, 0
        for start in range(0, len(samples), CHUNK):  # written chunk by chunk: a kill loses one chunk's work
            part = samples[start:start + CHUNK]
            fresh = verify_samples(pool, bench, by_id, part, f"rescore {name} {start + len(part)}/{len(samples)}")
            changed = _changed(name, part, fresh, previous, flips)
            store.write([], changed, tag="rescore")
            written += len(changed)
        signals = signal_samples(bench, by_id, _missing_signals(store, samples))
        store.write([], signals, tag="rescore")
        written += len(signals)
        print(f"[rescore] {name}: {written} verdict rows written, "
              f"{sum(f['benchmark'] == name for f in flips)} flips", file=sys.stderr)
    return flips


def _changed(name: str, samples: list[dict[str, Any]], fresh: list[dict[str, Any]], previous: dict[tuple, dict],
             flips: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The fresh verdicts that are new or differ from the previous ones; appends each flip to `flips`."""
    changed = []
    for s, new in zip(samples, fresh):
        old = previous.get(sample_key(s))
        if old is None or old["verifier_version"] != new["verifier_version"] or _differs(old, new):
            changed.append(new)
        if old is not None and old["correct"] != new["correct"]:
            flips.append({"benchmark": name, "model": s["model"], "problem_id": s["problem_id"],
                          "sample_index": s["sample_index"],
                          "old": {f: old[f] for f in ("correct", "reason", "extracted", "verifier_version")},
                          "new": {f: new[f] for f in ("correct", "reason", "extracted", "verifier_version")}})
    return changed


def _missing_signals(store: Store, samples: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The samples without text signals of the current version (signals never flip a score)."""
    have = store.verdict_keys(SIGNALS[0], SIGNALS_VERSION)
    return [s for s in samples if sample_key(s) not in have]


def _differs(old: dict[str, Any], new: dict[str, Any]) -> bool:
    return any(old[f] != new[f] for f in ("correct", "reason", "extracted", "normalized"))


def format_flips(flips: list[dict[str, Any]]) -> str:
    return "\n".join(json.dumps(f, ensure_ascii=False) for f in flips)
