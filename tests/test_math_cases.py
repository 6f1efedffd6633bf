"""Table-driven cases for the math and AIME answer verifiers.

Every row of ``tests/cases/math_cases.jsonl`` is a gold answer, a full model
completion (R1-style, plain, Chinese, Minerva-style, cut off, or copied from the
real outputs in /work/shared/data/replay/), the verdict reason it must get, and
the one-sentence policy that makes that verdict right. The policies are
summarised in ``tests/cases/README.md``.

``expected`` is a verdict reason ("correct", "wrong_answer", "no_answer",
"truncated", "unparseable"), or "not_correct" where wrong_answer and
unparseable are both acceptable and only ``correct is False`` is checked.
Optional: ``options`` (verifier options, e.g. ``{"require_evaluated": true}``, the
training reward's and curation's setting) and ``expected_method`` (the comparison
that must decide: "exact" or "numeric_60_digits" proves a slow-looking pair was
decided by cheap means, not by a proof that could run out of time).
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

CASES_PATH = Path(__file__).parent / "cases" / "math_cases.jsonl"

# The classes the table must cover, each at least MIN_PER_CLASS times.
REQUIRED_CLASSES = (
    "extraction", "truncation", "numbers", "magnitude", "decimal_approx", "repeating",
    "percent", "complex", "vector", "units", "base", "interval", "list", "tuple",
    "equation", "symbolic", "collapse", "aime", "replay", "slow_equal", "unevaluated",
    "factorial", "trig_degrees", "label", "same_equation",
)
MIN_PER_CLASS = 5
MIN_CASES = 170
REASONS = {"correct", "wrong_answer", "no_answer", "truncated", "unparseable", "not_correct"}
FIELDS = {"id", "class", "kind", "gold", "completion", "finish_reason", "think_prefilled",
          "expected", "policy"}


def load_cases() -> list[dict]:
    rows = []
    with CASES_PATH.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if line.strip():
                row = json.loads(line)
                row["_line"] = lineno
                rows.append(row)
    return rows


CASES = load_cases()


# ---------------------------------------------------------------- the table itself

def test_table_size():
    assert len(CASES) >= MIN_CASES, f"only {len(CASES)} cases"


def test_ids_unique():
    dup = [i for i, n in Counter(c["id"] for c in CASES).items() if n > 1]
    assert not dup, f"duplicate ids: {dup}"


def test_every_class_covered():
    counts = Counter(c["class"] for c in CASES)
    thin = {cls: counts.get(cls, 0) for cls in REQUIRED_CLASSES if counts.get(cls, 0) < MIN_PER_CLASS}
    assert not thin, f"classes with fewer than {MIN_PER_CLASS} cases: {thin}"


def test_rows_well_formed():
    bad = []
    for c in CASES:
        problems = []
        if not FIELDS <= c.keys():
            problems.append(f"missing {sorted(FIELDS - c.keys())}")
        if c.get("kind") not in ("math", "aime"):
            problems.append(f"kind {c.get('kind')!r}")
        if c.get("expected") not in REASONS:
            problems.append(f"expected {c.get('expected')!r}")
        if c.get("finish_reason") not in (None, "length", "stop"):
            problems.append(f"finish_reason {c.get('finish_reason')!r}")
        if not isinstance(c.get("think_prefilled"), bool):
            problems.append("think_prefilled not a bool")
        if not str(c.get("policy", "")).strip():
            problems.append("empty policy")
        if not str(c.get("completion", "")).strip() and c.get("expected") != "truncated":
            problems.append("empty completion")
        if problems:
            bad.append((c.get("id"), problems))
    assert not bad, bad


# ---------------------------------------------------------------- the verdicts

def _verify(case: dict):
    from evals.verifiers import verify_aime, verify_math

    fn = verify_aime if case["kind"] == "aime" else verify_math
    return fn(
        case["completion"],
        case["gold"],
        finish_reason=case["finish_reason"],
        think_prefilled=case["think_prefilled"],
        **case.get("options", {}),
    )


def _explain(case: dict, v) -> str:
    tail = case["completion"][-300:]
    return (
        f"\n  case      {case['id']} (class {case['class']}, kind {case['kind']}, line {case['_line']})"
        f"\n  gold      {case['gold']!r}"
        f"\n  expected  {case['expected']}"
        + (f" / extracted {case['expected_extracted']!r}" if "expected_extracted" in case else "")
        + (f"\n  options   {case['options']}" if "options" in case else "")
        + (f" / method {case['expected_method']!r}" if "expected_method" in case else "")
        + f"\n  got       correct={v.correct} reason={v.reason!r}"
        f"\n  extracted {v.extracted!r}"
        f"\n  normalized {v.normalized!r}"
        f"\n  method    {v.method!r}"
        f"\n  policy    {case['policy']}"
        f"\n  completion tail {tail!r}"
    )


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case):
    v = _verify(case)
    why = _explain(case, v)
    if case["expected"] == "not_correct":
        assert v.correct is False, why
    else:
        assert v.reason == case["expected"], why
        assert v.correct is (case["expected"] == "correct"), why
    if "expected_extracted" in case:
        assert v.extracted is not None and v.extracted.strip() == case["expected_extracted"], why
    if "expected_method" in case:
        assert v.method == case["expected_method"], why
