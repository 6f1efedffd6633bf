"""MinHash sketches of word n-gram sets, and LSH banding to find candidate near-duplicates.

Written by hand (numpy) rather than taken from datasketch because it runs inside the verify
stage on every kept sample (hundreds of thousands of 20K-character traces): one-permutation
hashing (Li, Owen & Zhang 2012) hashes each n-gram once and keeps the minimum per bin, about
10x cheaper than datasketch's 128 hash permutations per shingle, with the same estimator.

    a, b = sketch(words(text_a)), sketch(words(text_b))
    estimate(a, b)   # ~ Jaccard of the two texts' word 5-gram sets
"""
from __future__ import annotations

import itertools

import numpy as np
import xxhash

BINS = 128
SHINGLE = 5
_EMPTY = np.uint32(0xFFFFFFFF)
# Odd 64-bit multipliers: the n-gram hash is a weighted sum of its word hashes (order matters).
_WEIGHTS = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
                     0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9],
                    dtype=np.uint64)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads the bits so bins and values are independent."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


# word (str or its UTF-8 bytes) -> its xxh3: traces share most of their words, so each is hashed once
# (bounded: a full cache is replaced, not cleared, so a thread between its fill and its lookups keeps its own)
_HASHES: dict[str | bytes, int] = {}


def _word_hashes(tokens: list[str] | list[bytes]) -> np.ndarray:
    global _HASHES
    if len(_HASHES) >= 200_000:
        _HASHES = {}
    known = _HASHES
    # looked up in C by map(), 0 for a word not hashed yet; those (and, once in 2^64, a hash that is 0) then
    # one by one: cheaper than a set of the text's words to find them (0.16 -> 0.11 ms on a replay trace)
    hashes = np.fromiter(map(known.get, tokens, itertools.repeat(0)), dtype=np.uint64, count=len(tokens))
    for i in np.flatnonzero(hashes == 0).tolist():
        token = tokens[i]
        value = known.get(token)
        if value is None:
            value = known[token] = xxhash.xxh3_64_intdigest(token.encode() if isinstance(token, str) else token)
        hashes[i] = value
    return hashes


def ngram_keys(tokens: list[str] | list[bytes], n: int = SHINGLE) -> np.ndarray:
    """One mixed 64-bit hash per word n-gram (a text shorter than n words is one n-gram); words given as
    str or as their UTF-8 bytes (`ngrams.word_bytes`) hash alike."""
    if not tokens:
        return np.empty(0, dtype=np.uint64)
    h = _word_hashes(tokens)
    n = min(n, len(h))
    with np.errstate(over="ignore"):
        combined = h[: len(h) - n + 1] * _WEIGHTS[0]
        for j in range(1, n):
            combined = combined + h[j: len(h) - n + 1 + j] * _WEIGHTS[j]
        return _mix(combined)


def sketch(tokens: list[str] | list[bytes], n: int = SHINGLE) -> np.ndarray:
    """BINS uint32 minima: bin from the top bits of each n-gram hash, value from the low 32 bits."""
    keys = ngram_keys(tokens, n)
    out = np.full(BINS, _EMPTY, dtype=np.uint32)
    if keys.size:
        np.minimum.at(out, (keys >> np.uint64(57)).astype(np.intp), (keys & np.uint64(0xFFFFFFFF)).astype(np.uint32))
    return out


def estimate(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard: equal minima over the bins that at least one text fills."""
    filled = (a != _EMPTY) | (b != _EMPTY)
    total = int(filled.sum())
    return float(((a == b) & filled).sum()) / total if total else 1.0


_RNG = np.random.default_rng(20250122)
_A = _RNG.integers(1, 2**63, size=BINS, dtype=np.uint64) | np.uint64(1)
_B = _RNG.integers(0, 2**63, size=BINS, dtype=np.uint64)


def signature(tokens: list[str] | list[bytes], n: int = SHINGLE) -> np.ndarray:
    """Classic MinHash (BINS hash permutations, no empty bins) for short texts such as prompts, where
    one-permutation hashing would leave most bins empty; n-grams x BINS multiply-adds in numpy."""
    keys = ngram_keys(tokens, n)
    if not keys.size:
        return np.full(BINS, _EMPTY, dtype=np.uint32)
    with np.errstate(over="ignore"):
        return ((keys[:, None] * _A[None, :] + _B[None, :]) >> np.uint64(32)).min(axis=0).astype(np.uint32)


def band_keys(sig: np.ndarray, rows: int = 5) -> np.ndarray:
    """One uint64 key per band of `rows` bins of a `signature` (0 for an empty text); texts sharing a key in
    some band are candidate near-duplicates. 25 bands of 5 rows find a pair at Jaccard 0.8 with probability
    0.99995 and 0.9 with 1 - 1e-10, while a pair at 0.05 becomes a candidate with probability 8e-6."""
    bands = BINS // rows
    if (sig == _EMPTY).all():
        return np.zeros(bands, dtype=np.uint64)
    return np.array([xxhash.xxh3_64_intdigest(sig[i * rows:(i + 1) * rows].tobytes()) | 1 for i in range(bands)],
                    dtype=np.uint64)


def candidate_pairs(keys: np.ndarray) -> set[tuple[int, int]]:
    """(i, j), i < j, of the rows of `keys` (texts x bands) that share a non-zero key in some band."""
    pairs: set[tuple[int, int]] = set()
    for band in range(keys.shape[1]):
        column = keys[:, band]
        order = np.argsort(column, kind="stable")
        ordered = column[order]
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        ends = np.r_[starts[1:], len(ordered)]
        for start, end in zip(starts, ends):
            if end - start > 1 and ordered[start] != 0:
                members = sorted(order[start:end].tolist())
                pairs.update((a, b) for n, a in enumerate(members) for b in members[n + 1:])
    return pairs
