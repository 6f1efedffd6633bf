"""What the verify stage measures on one sample's text: the evaluation's text-signal verdicts (the same
`text_signals` call evaluation stores), plus a MinHash sketch of the reasoning for selecting distinct
samples.

Pure functions of the text, run in worker processes (`text_checks_batch`). Thresholds are not
applied here: the `checks` view exposes the measured numbers and the filter stage thresholds them in
SQL, so changing a threshold re-filters in seconds without reading a single trace again.
"""
from __future__ import annotations

import gc
from typing import Any

from evals.scoring import verdict_fields
from evals.verifiers.language import reasoning_of
from evals.verifiers.signals import SignalOptions, text_signals

from .minhash import sketch
from .ngrams import word_bytes

# Collector thresholds for the verify stage's processes. A trace's checks make thousands of short-lived
# containers (match tuples, runs, lists) and no cycles worth collecting, and the driver's rows are the
# same, while caches grow long-lived: at the default threshold (700 allocations) the collector runs every
# few hundred allocations and walks the caches' generations, 3-4% of a worker's CPU.
RARE_COLLECTIONS = (50_000, 20, 100)


def text_checks(completion: str, target_language: str | None, think_prefilled: bool, require_boxed: bool,
                finish_reason: str | None) -> dict[str, Any]:
    """The signal verdicts (as store rows without the key) and the sketch of one sample's reasoning."""
    found = text_signals(completion, think_prefilled=think_prefilled, finish_reason=finish_reason,
                         options=SignalOptions(require_boxed=require_boxed, target_language=target_language))
    tokens = word_bytes(reasoning_of(completion, think_prefilled))
    return {"signals": [verdict_fields(name, v) for name, v in found.items()],
            "reasoning_words": len(tokens), "sketch": sketch(tokens).tobytes()}


def text_checks_batch(items: list[tuple[str, str | None, bool, bool, str | None]]) -> list[dict[str, Any]]:
    """One worker task: many samples per call, so process start-up and pickling are paid per batch."""
    gc.set_threshold(*RARE_COLLECTIONS)  # this process only runs checks
    return [text_checks(*item) for item in items]
