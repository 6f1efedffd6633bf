"""Benchmark: verifications per second on MATH-500-style completions, against math-verify.

    python scripts/bench_verify.py [--per-size 200] [--sizes 2000,16000,64000] [--workers 2]

Completions are built from the real MATH-500 reference solutions: an R1-style
``<think>`` block padded with the solution's own prose to the target length, then
a short summary ending in a boxed answer: the gold as written for half of them,
another problem's answer (usually wrong) for the other half. Each size is verified three ways in
the same run:
  ours      evals.verifiers.VerifierPool (worker processes, hard limit per call)
  mv-1proc  math-verify's parse + verify called directly, in this process
  mv-Nproc  the same calls in a multiprocessing.Pool with as many processes as ours
Prints throughput, the mean cost of one call in ms (ours: wall time x workers, so
CPU-comparable with the single-process figure; linear cost means it grows no
faster than the completion length), and how often the verdicts agree; then the
median and 99th percentile of one call, each timed alone in this process (ours:
verify_math called directly, without the pool; mv: parse + verify).

Then every real completion in ../shared/data/replay (R1-family models on MATH-500 and AIME 2024) is
verified through the pool with its default time limit: the answers lost to the limit (reason `timeout`),
those of them their own grader counted correct, and the slowest calls (p50, p99, max, timed alone) are
printed. Exits 1 when a replay answer timed out. (`scripts/bench_curation.py` reports the same for the
curation corpus.)
"""
from __future__ import annotations

import argparse
import csv
import json
import multiprocessing as mp
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evals.data import data_path  # noqa: E402
from evals.verifiers import VerifierPool, verify_math  # noqa: E402


def make_completion(row: dict, chars: int, boxed: str) -> str:
    solution = row["solution"]
    body = solution.replace("\\boxed", "")  # no answer inside the padding
    head = "<think>\nOkay, let me work through this carefully.\n"
    pad = []
    while sum(map(len, pad)) + len(head) < chars - 400:
        pad.append(body + "\nWait, let me double-check that step.\n")
    thinking = (head + "".join(pad))[: max(0, chars - 400)]
    return thinking + "\n</think>\n\n" + solution[-300:].split("\\boxed")[0] + f"**Final Answer**\n\\[\\boxed{{{boxed}}}\\]"


def mv_check(pair: tuple[str, str]) -> bool:
    from math_verify import parse, verify

    completion, gold = pair
    return bool(verify(parse(f"${gold}$"), parse(completion)))


def percentiles(fn, pairs) -> tuple[float, float]:
    """p50 and p99 of one call, in ms."""
    costs = sorted(timed(fn, pair)[1] * 1e3 for pair in pairs)
    return costs[len(costs) // 2], costs[min(len(costs) - 1, int(len(costs) * 0.99))]


def timed(fn, *args):
    started = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - started


def replay_items() -> list[tuple[str, str, str, bool | None]]:
    """(id, completion, gold answer, their grader's verdict) for every real completion in the replay data."""
    root = Path(__file__).resolve().parents[1]
    replay = next((Path(p) / "replay" for p in (os.environ.get("R1_EVALS_SHARED_DATA"), root.parent / "shared" / "data",
                                                "/work/shared/data") if p and (Path(p) / "replay").is_dir()), None)
    if replay is None:
        return []
    out = []
    for path in sorted(replay.glob("*.json")):
        for problem, item in json.loads(path.read_text(encoding="utf-8")).items():
            for responses in item["responses"].values():
                for i, r in enumerate(responses):
                    if r.get("content"):
                        out.append((f"{path.stem}/{item.get('unique_id') or item.get('id') or problem[:30]}/{i}",
                                    r["content"], str(item["answer"]), r.get("correctness")))
    for path in sorted(replay.glob("*.csv")):
        with path.open(encoding="utf-8") as f:
            out += [(f"{path.stem}/{row['id']}", row["model_completion"], row["answer"], None) for row in csv.DictReader(f)]
    return out


def replay_check(pool: VerifierPool) -> int:
    items = replay_items()
    if not items:
        print("\nreplay: ../shared/data/replay not found (set R1_EVALS_SHARED_DATA); skipped")
        return 0
    verdicts = pool.verify_batch([("math", completion, gold) for _, completion, gold, _ in items])
    lost = [(item[0], item[3]) for item, v in zip(items, verdicts) if v.reason == "timeout"]
    costs = sorted((timed(verify_math, completion, gold)[1] * 1e3, ident) for ident, completion, gold, _ in items)
    n = len(costs)
    print(f"\nreplay: {n:,} real completions, limit {pool.timeout:g} s per call: {len(lost)} lost to the time limit "
          f"({sum(bool(c) for _, c in lost)} of them correct to their grader); ours correct "
          f"{sum(v.correct for v in verdicts):,}/{n:,}")
    print(f"{'':>7} per call ms  p50 {costs[n // 2][0]:.2f} p99 {costs[min(n - 1, int(n * 0.99))][0]:.2f} "
          f"max {costs[-1][0]:.1f} ({costs[-1][1]})")
    for ident, correct in lost:
        print(f"  timeout: {ident} (their grader: {correct})")
    return 1 if lost else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--per-size", type=int, default=200, help="completions per size")
    ap.add_argument("--sizes", default="2000,16000,64000", help="completion lengths in characters")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-replay", action="store_true", help="skip the time-limit check on the real replay completions")
    args = ap.parse_args()

    rows = [json.loads(line) for line in data_path("math500.jsonl").open()]
    print(f"{'size':>7} {'n':>5} | {'ours/s':>8} {'mv-1proc/s':>10} {'mv-Nproc/s':>10} | "
          f"{'ours ms':>8} {'mv ms':>7} | agree  timeouts")
    with VerifierPool(workers=args.workers) as pool, mp.get_context("fork").Pool(args.workers) as mv_pool:
        pool.verify_batch([("math", "\\boxed{1}", "1")] * args.workers)  # workers warm
        mv_pool.map(mv_check, [("$1$", "1")] * args.workers)
        for k, chars in enumerate(map(int, args.sizes.split(","))):
            # other problems for each size, so no size profits from another's parse caches
            sample = [rows[(k * args.per_size + i) % len(rows)] for i in range(args.per_size)]
            # half answer with the gold as written, half with another problem's answer (wrong),
            # which forces the full parse and comparison on both sides
            wrong = [rows[(k * args.per_size + i + 250) % len(rows)]["answer"] for i in range(args.per_size)]
            pairs = [(make_completion(r, chars, r["answer"] if i % 2 == 0 else wrong[i]), r["answer"])
                     for i, r in enumerate(sample)]
            ours, t_ours = timed(pool.verify_batch, [("math", c, g) for c, g in pairs])
            mv1, t_mv1 = timed(lambda ps: [mv_check(p) for p in ps], pairs)
            _, t_mvn = timed(mv_pool.map, mv_check, pairs)
            n = len(pairs)
            agree = sum(o.correct == m for o, m in zip(ours, mv1)) / n
            timeouts = sum(o.reason == "timeout" for o in ours)
            print(f"{chars:>7} {n:>5} | {n / t_ours:>8.0f} {n / t_mv1:>10.0f} {n / t_mvn:>10.0f} | "
                  f"{t_ours / n * 1e3 * args.workers:>8.2f} {t_mv1 / n * 1e3:>7.2f} | {agree:5.1%} {timeouts:>6}")
            correct = sum(o.correct for o in ours)
            print(f"{'':>7} ours correct {correct}/{n}, math-verify correct {sum(mv1)}/{n}")
            ours_p = percentiles(lambda pair: verify_math(*pair), pairs)
            mv_p = percentiles(mv_check, pairs)
            print(f"{'':>7} per call ms  ours p50 {ours_p[0]:.2f} p99 {ours_p[1]:.2f}   "
                  f"math-verify p50 {mv_p[0]:.2f} p99 {mv_p[1]:.2f}")
        return 0 if args.no_replay else replay_check(pool)


if __name__ == "__main__":
    sys.exit(main())
