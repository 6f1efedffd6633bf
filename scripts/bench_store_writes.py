"""Benchmark: how many samples per second the driver can write to the store (the one writer under --ray).

    python scripts/bench_store_writes.py [--flush 64,512,4096] [--total 20000] [--chars 16000]

Writes `total` synthetic samples (completions of `chars` characters, one verdict each) with
`Store.write` in flushes of each given size, as the runner does, into a fresh store in a temp
folder, and prints samples/s and MB/s (of completion text) per flush size.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evals.store import Store  # noqa: E402


def rows(n: int, start: int, chars: int, rng: random.Random) -> tuple[list[dict], list[dict]]:
    words = ["the", "so", "x", "=", "\\frac{1}{2}", "wait", "therefore", "sum", "we", "get"]
    text = " ".join(rng.choice(words) for _ in range(chars // 4))[:chars]
    samples, verdicts = [], []
    for i in range(start, start + n):
        key = {"run_id": "bench", "benchmark": "math500", "problem_id": f"p{i // 64}", "sample_index": i % 64}
        samples.append({**key, "model": "bench/model", "completion": text + f" \\boxed{{{i}}}",
                        "finish_reason": "stop", "completion_tokens": chars // 4, "created_at": time.time()})
        verdicts.append({**key, "verifier": "math", "verifier_version": "bench", "correct": i % 2 == 0,
                         "score": float(i % 2 == 0), "reason": "correct", "created_at": time.time()})
    return samples, verdicts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--flush", default="64,512,4096")
    ap.add_argument("--total", type=int, default=20000)
    ap.add_argument("--chars", type=int, default=16000)
    args = ap.parse_args()
    rng = random.Random(0)
    for flush in (int(x) for x in args.flush.split(",")):
        batches = [rows(flush, i, args.chars, rng) for i in range(0, args.total, flush)]
        with tempfile.TemporaryDirectory() as tmp:
            store = Store(Path(tmp) / "store")
            started = time.perf_counter()
            for samples, verdicts in batches:
                store.write(samples, verdicts)
            took = time.perf_counter() - started
        n = sum(len(s) for s, _ in batches)
        print(f"flush {flush:>5}: {n / took:>9,.0f} samples/s  {n * args.chars / took / 1e6:7.1f} MB/s of text  "
              f"({n} samples, {len(batches)} flushes, {took:.1f}s)")


if __name__ == "__main__":
    main()
