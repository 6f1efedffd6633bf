"""The code verifier: a completion and a code problem in, a ``Verdict`` out (kind "code").

The reference is the problem in its file form (``CodeProblem.to_dict()``), so it can travel to a
verifier worker process and into the store as JSON. Same function for evaluation, curation and
the training reward.
"""
from __future__ import annotations

from typing import Any

from evals.judge.judging import JUDGE_VERSION, JudgeResult, judge_completion
from evals.judge.problems import CodeProblem, problem_from_dict
from evals.verifiers.answer_region import split_answer_region
from evals.verifiers.verdict import Verdict, failure

MAX_CODE_CHARS = 20_000  # what the verdict keeps of the extracted program


def _details(result: JudgeResult) -> dict[str, Any]:
    return {
        "judge_version": JUDGE_VERSION,
        "language": result.language,
        "passed": result.passed,
        "total_tests": result.total_tests,
        "compile_output": result.compile_output,
        "error": result.error,
        "tests": [{"i": t.index, "reason": t.reason, "time_s": t.time_s, "memory_mb": t.memory_mb,
                   "detail": t.detail[:300]} for t in result.tests],
    }


def verify_code(completion: str, reference: dict[str, Any] | CodeProblem, *, language: str = "python",
                finish_reason: str | None = None, think_prefilled: bool = False,
                stop_at_first_failure: bool = True) -> Verdict:
    """Judge the last ``language`` code block after the reasoning against the problem's tests."""
    problem = reference if isinstance(reference, CodeProblem) else problem_from_dict(reference, "reference")
    region = split_answer_region(completion, finish_reason=finish_reason, think_prefilled=think_prefilled)
    if region.truncated:
        return failure("truncated")
    result = judge_completion(problem, completion, language, think_prefilled=think_prefilled,
                              stop_at_first_failure=stop_at_first_failure)
    from evals.judge.problems import extract_code

    code = extract_code(completion, language, think_prefilled=think_prefilled)
    return Verdict(result.correct, result.reason, extracted=code[:MAX_CODE_CHARS] if code else None,
                   method=f"judge_{language}", details=_details(result))
