"""Repetition in a completion: the n-gram repetition rate, and degenerate loops.

Long chain-of-thought models fall into loops: the same sentence (or paragraph) again and again
until the token limit. A loop is found as a period of the completion's tail: tokens are words and
punctuation (characters for CJK), and the Z-function of the reversed token sequence gives, for
every period p, how far back the tail repeats itself with that period. The loop is
the shortest period that repeats at least `min_repeats` times over at least `min_tokens` tokens.
(Only the Z-values that can decide are computed, in numpy: see `_find_loop`.)
A last, unfinished copy of the unit (the cut at the token limit) does not hide the loop.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from .text_tokens import ASCII_WORD_MARKS
from .verdict import SIGNALS_VERSION, Verdict

_TOKENS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]|\w+|[^\w\s]")
# The same tokens of an ASCII text (most traces), a third faster with ASCII classes; a str pattern's \s
# (str.isspace) also takes the separators \x1c-\x1f, which ASCII \s does not.
_ASCII_TOKENS = re.compile(r"\w+|[^\w\s\x1c-\x1f]", re.A)
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
    return (_ASCII_TOKENS if text.isascii() else _TOKENS).findall(text)


def _codes(tokens: list[str] | list[bytes]) -> tuple[np.ndarray, int]:
    """An integer per token (equal tokens, equal integers: 0, 1, 2 ... in order of first appearance) and
    the number of distinct tokens. One pass of dict lookups gives each token the position of its first
    appearance; a table turns those positions into 0, 1, 2 ..."""
    first_seen: dict[str, int] = {}
    first = np.fromiter(map(first_seen.setdefault, tokens, itertools.count()), dtype=np.int64, count=len(tokens))
    rank = np.empty(len(tokens), dtype=np.int64)
    rank[np.fromiter(first_seen.values(), dtype=np.int64, count=len(first_seen))] = np.arange(len(first_seen))
    return rank[first], len(first_seen)


# The token codes of an ASCII text without a string per token (the regex's list and its dict pass were
# two thirds of repetition's time): an ASCII character is a word character (\w: letters, digits, _), a
# space (\s as str.isspace: \t \n \v \f \r, \x1c-\x1f, space) or a token alone (everything else).
_ASCII_KIND = [2 if ASCII_WORD_MARKS[i] == ord("1") else 0 if chr(i).isspace() else 1 for i in range(128)]
_WORDS_ONLY = bytes(32 if kind != 2 else i for i, kind in enumerate(_ASCII_KIND)) + b" " * 128  # split() finds the words
_ALONE_FLAG = bytes(int(kind == 1) for kind in _ASCII_KIND) + bytes(128)


def _ascii_codes(text: str) -> tuple[np.ndarray, int]:
    """``_codes(tokenize(text))`` for an ASCII text, but with codes numbered words first, then the
    characters alone (by byte): only which tokens are equal matters to the measures. The words come
    from one bytes.split (in C), the positions of words and lone characters from numpy."""
    data = text.encode()
    word_codes, distinct_words = _codes(data.translate(_WORDS_ONLY).split())
    marks = np.frombuffer(data.translate(ASCII_WORD_MARKS), dtype=np.int8)  # b"1" a word character, b"0" not
    word_starts = np.flatnonzero(np.diff(marks, prepend=np.int8(ord("0"))) == 1)
    alone_at = np.flatnonzero(np.frombuffer(data.translate(_ALONE_FLAG), dtype=np.int8))
    alone_chars, alone_codes = np.unique(np.frombuffer(data, dtype=np.uint8)[alone_at], return_inverse=True)
    order = np.argsort(np.concatenate([word_starts, alone_at]))
    codes = np.concatenate([word_codes, alone_codes.reshape(-1) + distinct_words])[order]
    return codes, distinct_words + len(alone_chars)


def ngram_repetition_rate(tokens: list[str], n: int = NGRAM) -> float:
    """1 - distinct n-grams / n-grams: 0 for text that never repeats a phrase, near 1 for a loop."""
    return _ngram_rate(*_codes(tokens), n)


def _ngram_rate(codes: np.ndarray, distinct_tokens: int, n: int) -> float:
    total = len(codes) - n + 1
    if total <= 0:
        return 0.0
    bits = max(1, distinct_tokens - 1).bit_length()
    if bits * n <= 63:  # each n-gram packed into one integer, exactly: distinct integers = distinct n-grams
        packed = np.zeros(total, dtype=np.int64)
        for i in range(n):
            packed = (packed << bits) | codes[i:i + total]
        ordered = np.sort(packed)  # distinct values counted on the sorted array: ~8x less than np.unique's hashing
        distinct = 1 + int(np.count_nonzero(ordered[1:] != ordered[:-1]))
    else:
        distinct = len({tuple(codes[i:i + n].tolist()) for i in range(total)})
    return 1 - distinct / total


def find_loop(tokens: list[str], min_repeats: int = MIN_REPEATS, min_tokens: int = MIN_TOKENS,
              max_unit: int = MAX_UNIT_TOKENS) -> tuple[int, int]:
    """(period, tokens covered) of the loop at the end of ``tokens``; (0, 0) when there is none."""
    return _find_loop(_codes(tokens)[0], min_repeats, min_tokens, max_unit)


def _find_loop(codes: np.ndarray, min_repeats: int, min_tokens: int, max_unit: int) -> tuple[int, int]:
    """find_loop on token codes. The tail is periodic with period p over z[p] + p tokens, z[p] being the
    longest common prefix of the reversed tail and itself shifted by p (its Z-function); the loop is the
    least p whose z[p] reaches need[p] = max(p * min_repeats, min_tokens) - p. Rather than the whole
    Z-function, periods are ruled out in bulk, a few tokens at a time, and only the survivors compared."""
    seq = codes[-max(min_tokens, max_unit * min_repeats):][::-1]
    n = len(seq)
    periods = np.arange(1, min(max_unit, n // min_repeats) + 1)
    need = np.maximum(periods * min_repeats, min_tokens) - periods
    fits = periods + need <= n  # z[p] <= n - p
    periods, need = periods[fits], need[fits]
    for j in range(min(16, n)):  # z[p] >= need[p] asks seq[p + j] == seq[j] for every j < need[p]
        if not len(periods):
            return 0, 0
        keep = (need <= j) | (seq[np.minimum(periods + j, n - 1)] == seq[j])
        periods, need = periods[keep], need[keep]
    for p, k in zip(periods.tolist(), need.tolist()):
        if np.array_equal(seq[p:p + k], seq[:k]):
            differ = np.flatnonzero(seq[p:] != seq[:n - p])
            return p, (int(differ[0]) if len(differ) else n - p) + p
    return 0, 0


def repetition(text: str, *, n: int = NGRAM, min_repeats: int = MIN_REPEATS, min_tokens: int = MIN_TOKENS,
               max_unit: int = MAX_UNIT_TOKENS) -> RepetitionResult:
    codes, distinct = _ascii_codes(text) if text.isascii() else _codes(tokenize(text))
    # a word cut by the token limit ("recom") is not a token of the unit: leave it out
    tail = len(codes) - 1 if text[-1:].isalnum() else len(codes)
    period, covered = _find_loop(codes[:tail], min_repeats, min_tokens, max_unit)
    unit = ""
    if period:  # token positions are needed only to quote the unit
        first = tail - covered
        matches = list(_TOKENS.finditer(text))
        unit = text[matches[first].start():matches[first + period - 1].end()]
    return RepetitionResult(
        tokens=len(codes),
        ngram_rate=round(_ngram_rate(codes, distinct, n), 6),
        loop=bool(period),
        loop_unit_tokens=period,
        loop_repeats=round(covered / period, 2) if period else 0.0,
        loop_share=round(covered / len(codes), 4) if period else 0.0,
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
