"""Stage 6, decontaminate: flag prompts that overlap a benchmark, and duplicate prompts in the set.

    python -m curation decontaminate [--benchmark-data gpqa_diamond=gpqa_diamond.csv] [--ngram 8]

1. Contaminated: the prompt shares a word 8-gram with a benchmark problem (words as in
   `curation.ngrams`). Checked against every benchmark of `evals.benchmarks.BENCHMARKS`: those
   whose pinned file ships with evals (AIME 2024, AIME 2025, MATH-500) always; the Hub-hosted
   ones (GPQA-Diamond, LiveCodeBench, Codeforces) when their data is given
   (`--benchmark-data NAME=PATH`) or `--hub-benchmarks` fetches them. Each benchmark's status
   (checked, or not checked and why) is in the `benchmark_status` table and the data card:
   nothing is silently skipped.
2. Exact duplicates: the same normalised words (case, spacing and punctuation ignored).
3. Near duplicates: word 5-gram Jaccard >= `--near-duplicate` (default 0.8): MinHash LSH finds
   candidate pairs, the exact Jaccard of each pair decides.

The first prompt in ingest order of each duplicate group is kept; the others are flagged with the
id of the one kept. Results: the `prompt_flags` table (prompt_id, flag, detail, score, evidence).
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
from tqdm import tqdm

from .minhash import band_keys, candidate_pairs, signature
from .ngrams import jaccard, ngram_hashes, words


@dataclass
class DecontaminateOptions:
    """Every field is a flag of `python -m curation decontaminate`."""
    ngram: int = 8
    near_duplicate: float = 0.8
    benchmark_data: dict[str, str] = field(default_factory=dict)  # benchmark -> local file
    hub_benchmarks: bool = False  # also load the benchmarks whose data is not shipped from the Hub


def benchmark_index(options: DecontaminateOptions) -> tuple[dict[int, str], dict[str, str]]:
    """{8-gram hash: "benchmark:problem id"} and {benchmark: "checked: N problems" or why not}."""
    from evals.benchmarks import BENCHMARKS

    index: dict[int, str] = {}
    status = {name: f"not checked: not a benchmark of evals.benchmarks ({', '.join(BENCHMARKS)})"
              for name in options.benchmark_data if name not in BENCHMARKS}
    for name, bench in BENCHMARKS.items():
        if not (bench.data_file or name in options.benchmark_data or options.hub_benchmarks):
            status[name] = f"not checked: its data does not ship with evals; pass --benchmark-data {name}=FILE " \
                           "or --hub-benchmarks"
            continue
        try:
            problems = bench.load(options.benchmark_data)
        except Exception as exc:  # gated, offline, missing file: reported, and the rest goes on
            status[name] = f"not checked: {exc}"
            continue
        for p in problems:
            for h in ngram_hashes(words(p.text), options.ngram):
                index.setdefault(h, f"{name}:{p.id}")
        status[name] = f"checked: {len(problems)} problems"
    return index, status


def _contaminated(prompts: list[tuple], words_of: list[list[str]], index: dict[int, str], n: int) -> dict[str, tuple]:
    found = {}
    for (pid, _, _), tokens in tqdm(zip(prompts, words_of), total=len(prompts), desc="benchmark overlap", unit="prompt",
                                    file=sys.stderr, mininterval=2):
        hits = [h for h in ngram_hashes(tokens, n) if h in index] if len(tokens) >= n else []
        if hits:
            found[pid] = ("contaminated", index[hits[0]], len(hits), _first_shared(tokens, hits[0], n))
    return found


def _first_shared(tokens: list[str], target: int, n: int) -> str:
    for i in range(len(tokens) - n + 1):
        if ngram_hashes(tokens[i:i + n], n) == {target}:
            return " ".join(tokens[i:i + n])
    return ""


def _duplicates(prompts: list[tuple], words_of: list[list[str]], flagged: dict[str, tuple],
                threshold: float) -> dict[str, tuple]:
    """Exact, then near duplicates among prompts not yet flagged; the first in ingest order is kept."""
    found: dict[str, tuple] = {}
    keeper: dict[str, str] = {}
    ids, tokens = [], []
    for (pid, _, _), prompt_words in zip(prompts, words_of):  # prompts come in ingest order
        if pid in flagged:
            continue
        key = " ".join(prompt_words)  # ngrams.normalized
        if key in keeper:
            found[pid] = ("exact_duplicate", keeper[key], 1.0, "")
        else:
            keeper[key] = pid
            ids.append(pid)
            tokens.append(prompt_words)
    keys = np.stack([band_keys(signature(t)) for t in tqdm(tokens, desc="near duplicates", unit="prompt", file=sys.stderr,
                                                         mininterval=2)]) if tokens else np.zeros((0, 25), np.uint64)
    parent = list(range(len(ids)))  # union-find over positions; a lower position is earlier in ingest order

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    best: dict[int, float] = {}
    for a, b in sorted(candidate_pairs(keys)):
        score = jaccard(ngram_hashes(tokens[a], 5), ngram_hashes(tokens[b], 5))
        if score >= threshold:
            ra, rb = root(a), root(b)
            parent[max(ra, rb)] = min(ra, rb)  # the earlier prompt stays the group's root: it is kept
            best[a], best[b] = max(best.get(a, 0.0), score), max(best.get(b, 0.0), score)
    for position, pid in enumerate(ids):
        r = root(position)
        if r != position:
            found[pid] = ("near_duplicate", ids[r], round(best.get(position, 0.0), 4), "")
    return found


def run_decontaminate(con: Any, options: DecontaminateOptions) -> dict[str, Any]:
    prompts = con.execute("SELECT prompt_id, problem, ingest_order FROM prompts ORDER BY ingest_order").fetchall()
    index, status = benchmark_index(options)
    print(f"[curation] decontaminate: {len(prompts):,} prompts against {len(index):,} benchmark {options.ngram}-grams "
          f"({'; '.join(f'{k} {v}' for k, v in status.items())})", file=sys.stderr)
    words_of = [words(problem) for _, problem, _ in prompts]  # once: both checks read them
    flags = _contaminated(prompts, words_of, index, options.ngram)
    flags.update(_duplicates(prompts, words_of, flags, options.near_duplicate))
    table = pa.table({
        "prompt_id": list(flags), "flag": [f[0] for f in flags.values()], "detail": [f[1] for f in flags.values()],
        "score": [float(f[2]) for f in flags.values()], "evidence": [f[3] for f in flags.values()],
    }, schema=pa.schema([("prompt_id", pa.string()), ("flag", pa.string()), ("detail", pa.string()),
                         ("score", pa.float64()), ("evidence", pa.string())]))
    con.register("_flags", table)
    con.execute("CREATE OR REPLACE TABLE prompt_flags AS SELECT * FROM _flags")
    con.unregister("_flags")
    con.execute("CREATE OR REPLACE TABLE benchmark_status AS SELECT * FROM (VALUES "
                + ", ".join("(?, ?)" for _ in status) + ") t(benchmark, status)",
                [x for kv in status.items() for x in kv])
    counts = dict(con.execute("SELECT flag, count(*) FROM prompt_flags GROUP BY 1").fetchall())
    return {"prompts": len(prompts), "flags": counts, "benchmarks": status}
