"""What the verify stage measures on one sample's text: the evals text signals as numbers a SQL
filter can threshold, plus a MinHash sketch of the reasoning for selecting distinct samples.

Pure functions of the text, run in worker processes (`text_checks_batch`). Thresholds are not
applied here: the filter stage applies them in SQL, so changing a threshold re-filters in seconds
without reading a single trace again.
"""
from __future__ import annotations

import json
from typing import Any

from evals.verifiers.format_check import check_format
from evals.verifiers.language import language_consistency
from evals.verifiers.readability import code_blocks, longest_paragraph
from evals.verifiers.repetition import repetition

from .minhash import sketch
from .ngrams import words

MAX_FOREIGN_SHOWN = 3


def text_checks(completion: str, reasoning: str, target_language: str | None, think_prefilled: bool,
                require_boxed: bool) -> dict[str, Any]:
    """Signal columns of the `checks` table for one sample (the reasoning is what the paper's filters read)."""
    fmt = check_format(completion, think_prefilled=think_prefilled, require_boxed=require_boxed)
    language = language_consistency(reasoning, target_language, plain=False)  # the naive ratio is not stored
    # the loop check reads the reasoning: a trace that loops and then answers is as unreadable as one that never stops
    rep = repetition(reasoning) if reasoning else None
    tokens = words(reasoning)
    foreign = {k: v for k, v in language.languages.items() if k != language.target}
    return {
        "format_ok": fmt.ok, "format_problems": json.dumps(fmt.problems) if fmt.problems else None,
        "language": language.target, "language_score": language.score,
        "foreign_languages": json.dumps(dict(list(foreign.items())[:MAX_FOREIGN_SHOWN])) if foreign else None,
        "ngram_rate": rep.ngram_rate if rep else 0.0,
        "loop_unit_tokens": rep.loop_unit_tokens if rep else 0, "loop_repeats": rep.loop_repeats if rep else 0.0,
        "longest_paragraph": longest_paragraph(reasoning), "code_blocks": code_blocks(reasoning),
        "reasoning_words": len(tokens), "sketch": sketch(tokens).tobytes(),
    }


def text_checks_batch(items: list[tuple[str, str, str | None, bool, bool]]) -> list[dict[str, Any]]:
    """One worker task: many samples per call, so process start-up and pickling are paid per batch."""
    return [text_checks(*item) for item in items]
