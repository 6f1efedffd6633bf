"""Repetition in a completion: the n-gram repetition rate, and degenerate loops.

Long chain-of-thought models fall into loops: the same sentence (or paragraph) again and again
until the token limit. A loop is found as a period of the completion's tail: tokens are words and
punctuation (characters for CJK), and the Z-function of the reversed token sequence gives, for
every period p, how far back the tail repeats itself with that period, in linear time. The loop is
the shortest period that repeats at least `min_repeats` times over at least `min_tokens` tokens.
A last, unfinished copy of the unit (the cut at the token limit) does not hide the loop.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from .verdict import SIGNALS_VERSION, Verdict

_TOKENS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]|\w+|[^\w\s]")
NGRAM = 4
MIN_REPEATS = 4  # copies of the unit at the tail
MIN_TOKENS = 64  # tokens the loop covers, so "5. 5. 5. 5." is not a loop
MAX_UNIT_TOKENS = 2000  # the longest unit looked for (a whole paragraph repeated)


@dataclass(frozen=True)
class RepetitionResult:
    tokens: int
    ngram_rate: float  # share of the n-grams that already occurred earlier in the text
    loop: bool
    loop_unit_tokens: int  # the period, 0 when no loop
    loop_repeats: float  # copies of the unit at the tail (fractional: the last copy may be cut)
    loop_share: float  # share of the text inside the loop
    loop_unit: str  # the repeated text (first 200 characters)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def tokenize(text: str) -> list[str]:
    return _TOKENS.findall(text)


def ngram_repetition_rate(tokens: list[str], n: int = NGRAM) -> float:
    """1 - distinct n-grams / n-grams: 0 for text that never repeats a phrase, near 1 for a loop."""
    total = len(tokens) - n + 1
    if total <= 0:
        return 0.0
    ids: dict[str, int] = {}
    codes = np.array([ids.setdefault(t, len(ids)) for t in tokens], dtype=np.int64)
    bits = max(1, len(ids) - 1).bit_length()
    if bits * n <= 63:  # each n-gram packed into one integer, exactly: distinct integers = distinct n-grams
        packed = np.zeros(total, dtype=np.int64)
        for i in range(n):
            packed = (packed << bits) | codes[i:i + total]
        distinct = len(np.unique(packed))
    else:
        distinct = len({tuple(tokens[i:i + n]) for i in range(total)})
    return 1 - distinct / total


def z_function(seq: list[int]) -> list[int]:
    """z[i] = length of the longest common prefix of seq and seq[i:] (z[0] = len(seq))."""
    n = len(seq)
    z = [0] * n
    if n:
        z[0] = n
    left = right = 0
    for i in range(1, n):
        if i < right:
            z[i] = min(right - i, z[i - left])
        while i + z[i] < n and seq[z[i]] == seq[i + z[i]]:
            z[i] += 1
        if i + z[i] > right:
            left, right = i, i + z[i]
    return z


def find_loop(tokens: list[str], min_repeats: int = MIN_REPEATS, min_tokens: int = MIN_TOKENS,
              max_unit: int = MAX_UNIT_TOKENS) -> tuple[int, int]:
    """(period, tokens covered) of the loop at the end of ``tokens``; (0, 0) when there is none."""
    window = tokens[-max(min_tokens, max_unit * min_repeats):]
    ids: dict[str, int] = {}
    reversed_ids = [ids.setdefault(t, len(ids)) for t in reversed(window)]
    z = z_function(reversed_ids)
    for period in range(1, min(max_unit, len(window) // min_repeats) + 1):
        covered = z[period] + period  # the tail is periodic with this period over `covered` tokens
        if covered >= period * min_repeats and covered >= min_tokens:
            return period, covered
    return 0, 0


def repetition(text: str, *, n: int = NGRAM, min_repeats: int = MIN_REPEATS, min_tokens: int = MIN_TOKENS,
               max_unit: int = MAX_UNIT_TOKENS) -> RepetitionResult:
    tokens = _TOKENS.findall(text)
    # a word cut by the token limit ("recom") is not a token of the unit: leave it out
    tail = tokens[:-1] if text[-1:].isalnum() else tokens
    period, covered = find_loop(tail, min_repeats, min_tokens, max_unit)
    unit = ""
    if period:  # token positions are needed only to quote the unit
        first = len(tail) - covered
        matches = list(_TOKENS.finditer(text))
        unit = text[matches[first].start():matches[first + period - 1].end()]
    return RepetitionResult(
        tokens=len(tokens),
        ngram_rate=round(ngram_repetition_rate(tokens, n), 6),
        loop=bool(period),
        loop_unit_tokens=period,
        loop_repeats=round(covered / period, 2) if period else 0.0,
        loop_share=round(covered / len(tokens), 4) if period else 0.0,
        loop_unit=unit[:200],
    )


def verify_repetition(completion: str, reference: Any = None, *, max_ngram_rate: float | None = None,
                      min_repeats: int = MIN_REPEATS, min_tokens: int = MIN_TOKENS, **_: Any) -> Verdict:
    """A verdict: `repetition_loop` when the completion ends in a loop (or repeats more n-grams than
    ``max_ngram_rate``, if given); score = 1 - n-gram repetition rate."""
    result = repetition(completion, min_repeats=min_repeats, min_tokens=min_tokens)
    ok = not result.loop and (max_ngram_rate is None or result.ngram_rate <= max_ngram_rate)
    return Verdict(correct=ok, reason="correct" if ok else "repetition_loop", score=1 - result.ngram_rate,
                   version=SIGNALS_VERSION,
                   method=f"{NGRAM}gram+tail_period", details={**result.to_dict(), "max_ngram_rate": max_ngram_rate})
