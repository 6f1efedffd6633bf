"""Benchmark: the same work locally and on a local Ray cluster with the same number of CPUs.

    unshare -n sh -c 'ip link set lo up && python scripts/bench_ray.py'          # loopback only (as root)
    python scripts/bench_ray.py --verify-samples 20000 --replay-samples 10000 --cpus 2

(1) `curation verify` of a synthetic corpus (tests/fixtures/synthetic_corpus.py, cached in --corpus):
    local process pools vs `--ray` (verifier actors and text-signal tasks);
(2) `evals run --backend replay` of --replay-samples math500 completions (a synthetic replay file:
    each problem's reference answer, or a wrong one, in varied wording): local vs `--ray` (engine actors,
    then verifier actors).
Each pair must give identical results (checked: the curation funnel and verdict counts, the run's
metrics); prints each time, the ratio Ray/local and the Ray overhead per unit (sample). Target: a
ratio within 1.10, so that N nodes give close to N times one node's throughput.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import ray  # noqa: E402

from curation import stages  # noqa: E402
from curation.card import funnel  # noqa: E402
from curation.db import Workspace  # noqa: E402
from curation.ingest import IngestOptions  # noqa: E402
from curation.verify import VerifyOptions  # noqa: E402
from evals.benchmarks import BENCHMARKS  # noqa: E402
from evals.config import RunConfig  # noqa: E402
from evals.runner import Runner  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def start_cluster(cpus: int) -> None:
    """A local Ray cluster of `cpus` CPUs in this process; --ray auto then joins it."""
    ray.init(address="local", num_cpus=cpus, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": str(ROOT)}})


def bench_verify(samples: int, cpus: int, corpus: Path, work: Path) -> dict:
    from tests.fixtures.synthetic_corpus import generate

    if not (corpus / "prompts.parquet").exists():
        generate(corpus, samples, seed=0, workers=cpus, part_samples=20000, progress=False)
    base = work / "base"
    stages.ingest(Workspace(base), IngestOptions(source=str(corpus / "prompts.parquet"), name="synthetic"))
    stages.add_samples(Workspace(base), sorted(str(p) for p in (corpus / "samples").glob("*.parquet")), "synthetic",
                       None)
    out = {}
    for mode in ("local", "ray"):
        shutil.copytree(base, work / mode)
        if mode == "ray":
            start_cluster(cpus)
        started = time.perf_counter()
        stages.verify(Workspace(work / mode), VerifyOptions(workers=cpus, ray="auto" if mode == "ray" else None))
        out[mode] = time.perf_counter() - started
        con = Workspace(work / mode).connect(read_only=True)
        out[f"{mode}_result"] = (funnel(con), con.execute(
            "SELECT correct, reason, count(*) FROM sample_verdicts GROUP BY ALL ORDER BY ALL").fetchall())
        con.close()
    return {"units": samples, **out}


def replay_file(path: Path, samples: int) -> int:
    """`samples` completions over math500's problems (k per problem), right about half the time."""
    problems = BENCHMARKS["math500"].load({})
    k = max(1, -(-samples // len(problems)))
    with path.open("w") as f:
        for n in range(samples):
            p, i = problems[n % len(problems)], n // len(problems)
            answer = p.reference if (n * 7919) % 3 else "17"
            f.write(json.dumps({"problem_id": p.id, "sample_index": i, "completion":
                                f"<think>Step {n}: checking the work.</think>So the answer is $\\boxed{{{answer}}}$."})
                    + "\n")
    return k


def bench_replay(samples: int, cpus: int, work: Path) -> dict:
    k = replay_file(work / "replay.jsonl", samples)
    out = {}
    for mode in ("local", "ray"):
        if mode == "ray":
            start_cluster(cpus)
        config = RunConfig(model="test/bench", backend="replay", replay=[str(work / "replay.jsonl")],
                           benchmarks=["math500"], samples=k, db=str(work / f"store_{mode}"), verify_workers=cpus,
                           ray="auto" if mode == "ray" else None)
        started = time.perf_counter()
        (result,) = Runner(config).run()
        out[mode] = time.perf_counter() - started
        out[f"{mode}_result"] = {key: result[key] for key in ("samples", "pass@1", "reasons") if key in result}
    return {"units": samples, **out}


def report(name: str, figures: dict) -> None:
    same = figures["local_result"] == figures["ray_result"]
    units, local, distributed = figures["units"], figures["local"], figures["ray"]
    print(f"{name}: {units} samples | local {local:.1f}s ({units / local:.0f}/s) | ray {distributed:.1f}s "
          f"({units / distributed:.0f}/s) | ray/local {distributed / local:.2f} | ray overhead "
          f"{(distributed - local) / units * 1e3:+.2f} ms/sample | identical results: {same}")
    if not same:
        print(f"  local: {figures['local_result']}\n  ray:   {figures['ray_result']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verify-samples", type=int, default=20000, help="synthetic samples for curation verify")
    parser.add_argument("--replay-samples", type=int, default=10000, help="replayed math500 samples for evals run")
    parser.add_argument("--cpus", type=int, default=os.cpu_count(), help="CPUs, locally and in the Ray cluster")
    parser.add_argument("--corpus", help="cache folder for the synthetic corpus (default: a temporary folder)")
    parser.add_argument("--only", choices=["verify", "replay"], help="run one of the two")
    args = parser.parse_args()
    print(f"sizes: curation verify {args.verify_samples} samples, replay {args.replay_samples} samples, "
          f"{args.cpus} CPUs local and in Ray {ray.__version__}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-ray-") as tmp:
        work = Path(tmp)
        if args.only in (None, "verify"):
            corpus = Path(args.corpus) if args.corpus else work / f"corpus{args.verify_samples}"
            (work / "verify").mkdir()
            report("curation verify", bench_verify(args.verify_samples, args.cpus, corpus, work / "verify"))
        if args.only in (None, "replay"):
            (work / "replay").mkdir()
            report("evals run (replay)", bench_replay(args.replay_samples, args.cpus, work / "replay"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
