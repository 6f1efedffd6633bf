"""The harness's own cost per sample: replay 10,000 stored completions (verify, store, metrics).

    python scripts/bench_harness.py [--samples-per-problem 20] [--workers N]

Completions are real: MATH-500 answers of two R1-distill models (../shared/data/replay), spread
over sample indices 0..k-1 of all 500 problems (500 x 20 = 10,000). The run goes through the
real runner with the replay backend into a fresh store; the script prints wall time per phase
and ms per sample. A second, identical command then measures a no-op resume (metrics only).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
REPLAY = Path(os.environ.get("R1_EVALS_SHARED_DATA") or ROOT.parent / "shared" / "data") / "replay"


def build_replay(path: Path, k: int) -> int:
    by_problem: dict[str, list[str]] = {}
    for name in ("tldr7b_math500_n1.json", "tldr14b_math500_n1.json"):
        for value in json.loads((REPLAY / name).read_text()).values():
            by_problem.setdefault(value["unique_id"], []).append(value["responses"]["0.7"][0]["content"])
    n = 0
    with path.open("w") as out:
        for pid, texts in by_problem.items():
            for i in range(k):
                out.write(json.dumps({"problem_id": pid, "sample_index": i, "completion": texts[i % len(texts)]}) + "\n")
                n += 1
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples-per-problem", type=int, default=20)
    parser.add_argument("--workers", type=int, default=None, help="verifier processes (default: all cores)")
    args = parser.parse_args()
    from evals import results as results_mod
    from evals import runner as runner_mod
    from evals.runner import RunConfig, Runner

    with tempfile.TemporaryDirectory() as tmp:
        replay = Path(tmp) / "replay.jsonl"
        total = build_replay(replay, args.samples_per_problem)
        config = RunConfig(model="bench/replay", benchmarks=["math500"], samples=args.samples_per_problem,
                           backend="replay", replay=[str(replay)], db=str(Path(tmp) / "db"),
                           verify_workers=args.workers)
        phases = {"verify+store": 0.0, "metrics": 0.0}
        flush, compute = runner_mod.Runner.flush, results_mod.compute

        def timed_flush(self, *a, **kw):  # verification and the segment write happen here
            started = time.perf_counter()
            flush(self, *a, **kw)
            phases["verify+store"] += time.perf_counter() - started

        def timed_compute(*a, **kw):
            started = time.perf_counter()
            out = compute(*a, **kw)
            phases["metrics"] += time.perf_counter() - started
            return out

        runner_mod.Runner.flush, results_mod.compute = timed_flush, timed_compute
        started = time.perf_counter()
        (result,) = Runner(config).run()
        wall = time.perf_counter() - started
        started = time.perf_counter()
        Runner(config).run()
        resume = time.perf_counter() - started
        segments = len(list((Path(tmp) / "db" / "samples").glob("*.parquet")))

    print(f"\nsamples: {total} ({result['samples']} scored), pass@1 {100 * result['pass@1']['value']:.1f}%")
    print(f"first run: {wall:.1f} s wall = {1000 * wall / total:.2f} ms/sample "
          f"(verify+store {1000 * phases['verify+store'] / total:.2f} ms/sample, "
          f"metrics incl. cons@k {phases['metrics']:.1f} s); {segments} sample segments")
    print(f"no-op resume (read store, recompute metrics): {resume:.1f} s")


if __name__ == "__main__":
    main()
