"""Readability of a chain of thought, as the paper's rejection sampling filtered it: "we have filtered
out chain-of-thought with mixed languages, long paragraphs, and code blocks".

Each check returns the measured value, the threshold and pass or fail, so a curation job can
report why a sample was dropped and a user can move a threshold without re-reading the traces.
The paper gives no numbers; the defaults below are ours and are meant to be set per data set.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from .language import LanguageResult, language_consistency, reasoning_of
from .text_tokens import word_count
from .verdict import SIGNALS_VERSION, Verdict

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_FENCE = re.compile(r"^[ \t]*(```|~~~)", re.M)


@dataclass(frozen=True)
class Thresholds:
    max_paragraph_words: int = 600  # a wall of text with no blank line
    max_code_blocks: int = 0  # fenced blocks inside the reasoning
    max_mixed_language: float = 0.05  # 1 - language consistency


@dataclass(frozen=True)
class Check:
    name: str
    value: float
    threshold: float
    passed: bool  # value <= threshold

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def longest_paragraph(reasoning: str) -> int:
    """Words in the longest paragraph (paragraphs are separated by blank lines)."""
    return max((word_count(p) for p in _PARAGRAPH_BREAK.split(reasoning)), default=0)


def code_blocks(reasoning: str) -> int:
    """Fenced code blocks (an unclosed fence counts as one)."""
    if "```" not in reasoning and "~~~" not in reasoning:  # most traces: no line-start scan
        return 0
    return (len(_FENCE.findall(reasoning)) + 1) // 2


def readability(reasoning: str, thresholds: Thresholds = Thresholds(), *,
                language: LanguageResult | None = None, target_language: str | None = None,
                prompt: str | None = None) -> list[Check]:
    """The three checks on a chain of thought; pass ``language`` when it is already measured."""
    language = language or language_consistency(reasoning, target_language, prompt=prompt)
    mixed = 0.0 if language.score is None else 1 - language.score
    paragraph, blocks, t = longest_paragraph(reasoning), code_blocks(reasoning), thresholds
    return [
        Check("longest_paragraph", paragraph, t.max_paragraph_words, paragraph <= t.max_paragraph_words),
        Check("code_blocks", blocks, t.max_code_blocks, blocks <= t.max_code_blocks),
        Check("mixed_language", round(mixed, 4), t.max_mixed_language, mixed <= t.max_mixed_language),
    ]


_FAILURE_REASON = {"longest_paragraph": "long_paragraph", "code_blocks": "code_in_reasoning",
                   "mixed_language": "mixed_language"}


def readability_verdict(checks: list[Check]) -> Verdict:
    failed = [c for c in checks if not c.passed]
    return Verdict(correct=not failed, reason=_FAILURE_REASON[failed[0].name] if failed else "correct",
                   version=SIGNALS_VERSION,
                   score=1 - len(failed) / len(checks), method="r1_readability_filters",
                   details={"checks": [c.to_dict() for c in checks], "failed": [c.name for c in failed]})


def verify_readability(completion: str, reference: Any = None, *, think_prefilled: bool = False,
                       target_language: str | None = None, prompt: str | None = None,
                       max_paragraph_words: int = Thresholds.max_paragraph_words,
                       max_code_blocks: int = Thresholds.max_code_blocks,
                       max_mixed_language: float = Thresholds.max_mixed_language, **_: Any) -> Verdict:
    """A verdict: correct when every check passes; the reason names the first that fails."""
    checks = readability(reasoning_of(completion, think_prefilled),
                         Thresholds(max_paragraph_words, max_code_blocks, max_mixed_language),
                         target_language=target_language, prompt=prompt)
    return readability_verdict(checks)
