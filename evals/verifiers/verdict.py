"""The verdict every verifier returns, and the closed vocabulary of reasons.

A verdict explains itself: what was extracted, its normalised form, why it was
judged so, which comparison decided, and which verifier version decided it.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

# Bump whenever a change can move a score: the store keeps verdicts per version,
# so a re-score adds verdicts instead of overwriting them.
VERIFIER_VERSION = "0.2.0"  # 0.2.0: issue 16 (factorials, degrees, labels, lists, equations, cheap-first equality, unevaluated answers, multiple-choice reading)
# The text signals (language, format, repetition, readability) move independently of the answer graders.
SIGNALS_VERSION = "0.3.0"  # 0.3.0: a text that opens <think> itself is not prefilled (format); 0.2.0: language in words in every script, target from the bare question; repetition on the reasoning

Reason = Literal[
    "correct",
    "wrong_answer",
    "no_answer",  # the answer region holds no anchored answer
    "truncated",  # thinking never closed, or generation hit the token limit
    "unparseable",  # an answer was found but could not be read or compared
    "ambiguous",  # several different decisions ("B or C")
    "timeout",  # the hard wall-clock limit killed the check
    "verifier_error",  # a bug or resource failure inside the verifier itself
    # code judge (issue 4) uses these too
    "no_code",
    "compile_error",
    "runtime_error",
    "time_limit",
    "idleness_limit",  # interactive: the program and the interactor both waited for the other (issue 22)
    "memory_limit",
    "output_limit",
    "judge_error",
    "wrong_format",
    # text signals (issue 5): language, repetition, readability
    "mixed_language",
    "repetition_loop",
    "long_paragraph",
    "code_in_reasoning",
]
REASONS: tuple[str, ...] = Reason.__args__  # type: ignore[attr-defined]

# Curation's words where no verdict reason fits, in the same closed vocabulary: a sample without a
# rule-based verdict (no reference: `unverified`; the LLM judge, curation.llm_judge, decides later:
# `awaiting_judge`) and the filter stage's own drops (any wrong verdict is `incorrect`; lengths;
# n-gram repetition). A verifier never returns these; curation.filters' funnel uses only
# these and REASONS.
CurationReason = Literal["incorrect", "unverified", "awaiting_judge", "too_short", "too_long", "repetitive"]
CURATION_REASONS: tuple[str, ...] = CurationReason.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Verdict:
    correct: bool
    reason: str
    extracted: str | None = None  # the answer text as found in the completion
    normalized: str | None = None  # its canonical form, as compared
    method: str | None = None  # which comparison decided (e.g. "exact_number")
    score: float | None = None  # defaults to 1.0 / 0.0 from `correct`
    version: str = VERIFIER_VERSION
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.reason not in REASONS:
            raise ValueError(f"unknown verdict reason {self.reason!r}; use one of {REASONS}")
        if self.score is None:
            object.__setattr__(self, "score", 1.0 if self.correct else 0.0)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Verdict":
        return cls(**data)


def failure(reason: str, **fields: Any) -> Verdict:
    """A wrong verdict with the given reason (and optional extracted/details)."""
    return Verdict(correct=False, reason=reason, **fields)
