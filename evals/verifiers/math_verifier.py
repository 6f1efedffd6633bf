"""Math (MATH-500 style) and AIME verifiers: completion + gold answer -> Verdict.

These are pure functions with no time bound of their own; call them through
``evals.verifiers.verify`` / ``verify_batch`` (a pool of worker processes with a
hard wall-clock limit) unless the inputs are trusted to be cheap.
"""
from __future__ import annotations

import re

from .answer_region import split_answer_region
from .extract import MAX_ANSWER_CHARS, Extraction, extract_answer
from .math_compare import answers_equal, canonical_text
from .math_evaluated import unevaluated
from .math_normalize import normalize_text
from .math_parse import parse_structure
from .verdict import Verdict, failure

_AIME_INT = re.compile(r"[+]?(\d{1,6})(?:\.0*)?")


def _extract(completion: str, finish_reason: str | None, think_prefilled: bool) -> Verdict | Extraction:
    region = split_answer_region(completion, finish_reason=finish_reason, think_prefilled=think_prefilled)
    if region.truncated:
        return failure("truncated", details={"has_thinking": region.has_thinking})
    found = extract_answer(region.answer)
    if found is None or not found.text:
        return failure("no_answer", details={"has_thinking": region.has_thinking})
    if len(found.text) > MAX_ANSWER_CHARS:
        return failure("unparseable", extracted=found.text[:200] + "…", details={"chars": len(found.text)})
    return found


def verify_math(
    completion: str, gold: str, *, finish_reason: str | None = None, think_prefilled: bool = False,
    require_evaluated: bool = False,
) -> Verdict:
    """Is the final answer of ``completion`` mathematically equal to ``gold``?

    ``require_evaluated`` (the training reward's and curation's default, not evaluation's):
    an equal answer that leaves a number unevaluated (``4+5`` for 9, see math_evaluated)
    is ``wrong_answer`` with method ``unevaluated``. Either way the verdict's details
    name the unevaluated number."""
    found = _extract(completion, finish_reason, think_prefilled)
    if isinstance(found, Verdict):
        return found
    gold_text, pred_text = normalize_text(str(gold)), normalize_text(found.text)
    if not gold_text:
        raise ValueError(f"gold answer {gold!r} is empty after normalisation")
    details = {"source": found.source, "gold_normalized": gold_text}
    if canonical_text(gold_text) == canonical_text(pred_text):  # no parse needed
        return Verdict(True, "correct", extracted=found.text, normalized=pred_text, method="string", details=details)
    gold_parsed, pred_parsed = parse_structure(gold_text), parse_structure(pred_text)
    equal, method = answers_equal(gold_parsed, pred_parsed)
    restated = unevaluated(pred_parsed) if equal and unevaluated(gold_parsed) is None else None
    if restated:
        details["unevaluated"] = restated
        if require_evaluated:
            equal, method = False, "unevaluated"
    if equal:
        reason = "correct"
    elif (pred_parsed.kind == "text" and gold_parsed.kind != "text") or method == "unproven":
        reason = "unparseable"  # we could not read (or decide) the prediction; we do not call it wrong by guess
    else:
        reason = "wrong_answer"
    return Verdict(
        correct=equal,
        reason=reason,
        extracted=found.text,
        normalized=pred_parsed.text,
        method=method,
        details=details,
    )


def parse_aime_gold(gold: str | int) -> int:
    m = _AIME_INT.fullmatch(str(gold).strip())
    if not m:
        raise ValueError(f"AIME gold answer must be an integer 0-999, got {gold!r}")
    return int(m.group(1))


def verify_aime(
    completion: str, gold: str | int, *, finish_reason: str | None = None, think_prefilled: bool = False,
    require_evaluated: bool = True,
) -> Verdict:
    """AIME: the answer must be an integer literal (025 = 25 = 25.0); anything else is wrong.

    So AIME is always strict: ``require_evaluated`` is accepted for a uniform option set
    (rewards and curation pass it to both math kinds) and cannot be turned off."""
    gold_int = parse_aime_gold(gold)
    found = _extract(completion, finish_reason, think_prefilled)
    if isinstance(found, Verdict):
        return found
    text = normalize_text(found.text)
    text = re.sub(r"^[a-zA-Z]\s*=\s*", "", text).replace(" ", "")
    m = _AIME_INT.fullmatch(text)
    if not m:
        return Verdict(False, "wrong_answer", extracted=found.text, normalized=text, method="aime_not_integer")
    value = int(m.group(1))
    return Verdict(
        correct=value == gold_int,
        reason="correct" if value == gold_int else "wrong_answer",
        extracted=found.text,
        normalized=str(value),
        method="aime_integer",
        details={"source": found.source},
    )
