"""Benchmark: the same work locally and on a local Ray cluster with the same number of CPUs.

    unshare -n sh -c 'ip link set lo up && python scripts/bench_ray.py'          # loopback only (as root)
    python scripts/bench_ray.py --verify-samples 20000 --replay-samples 10000 --cpus 2 [--profile]

(1) `curation verify` of a synthetic corpus (tests/fixtures/synthetic_corpus.py, cached in --corpus):
    local process pools vs `--ray` (verifier actors and text-signal tasks);
(2) `evals run --backend replay` of math500 completions (a synthetic replay file: each problem's
    reference answer, or a wrong one, in varied wording): local vs `--ray` (engine actors, then verifier
    actors).

Fixed costs and steady state apart: the Ray cluster starts once (timed on its own, as `ray start --head`
would) and every Ray command joins it; each command runs at two sizes (N/4 and N samples, alternating
local and Ray so that the machine's load drifts over both alike, the best of --repeat runs each), and
time = fixed + N x per-sample is solved from the two. The fixed part is each command's start-up (Ray:
its actors and their warm-up; locally: the process pools); the per-sample part is the steady state, where the target applies
(a ratio Ray/local within 1.10, so that N nodes give close to N times one node's throughput: the fixed
cost over N samples tends to 0). Each pair must give identical results (checked: the curation funnel and
verdict counts, the run's metrics). --profile: cProfile of the driver's largest Ray run, top lines.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import ray  # noqa: E402
from ray.cluster_utils import Cluster  # noqa: E402

from curation import stages  # noqa: E402
from curation.card import funnel  # noqa: E402
from curation.db import Workspace  # noqa: E402
from curation.ingest import IngestOptions  # noqa: E402
from curation.verify import VerifyOptions  # noqa: E402
from evals.benchmarks import BENCHMARKS  # noqa: E402
from evals.config import RunConfig  # noqa: E402
from evals.runner import Runner, _has_gpu  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def start_cluster(cpus: int) -> tuple[Cluster, float]:
    """A local Ray cluster of `cpus` CPUs in its own processes (as `ray start --head`), so that each command
    joins it and its ray.shutdown() only disconnects; and the seconds its start took."""
    started = time.perf_counter()
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": cpus, "include_dashboard": False})
    cluster.wait_for_nodes()
    return cluster, time.perf_counter() - started


def timed(address: str | None, command: Callable[[str | None], object], profile: cProfile.Profile | None) -> dict:
    """Seconds of one run of `command(ray address or None)`, and its result."""
    started = time.perf_counter()
    if profile:
        profile.enable()
    try:
        result = command(address)
    finally:
        if profile:
            profile.disable()
    return {"seconds": time.perf_counter() - started, "result": result}


def verify_sizes(sizes: list[int], cpus: int, corpus: Path, work: Path) -> dict[int, Callable[[str | None], object]]:
    """One `curation verify` command per size: a fresh copy of a workspace holding a corpus of `size` samples."""
    from tests.fixtures.synthetic_corpus import generate

    runs = iter(range(1000))

    def command(size: int) -> Callable[[str | None], object]:
        source, base = corpus / str(size), work / f"base{size}"
        if not (source / "prompts.parquet").exists():
            generate(source, size, seed=0, workers=cpus, part_samples=20000, progress=False)
        stages.ingest(Workspace(base), IngestOptions(source=str(source / "prompts.parquet"), name="synthetic"))
        stages.add_samples(Workspace(base), sorted(str(p) for p in (source / "samples").glob("*.parquet")),
                           "synthetic", None)

        def run(address: str | None) -> object:
            ws = work / f"run{next(runs)}"
            shutil.copytree(base, ws)
            stages.verify(Workspace(ws), VerifyOptions(workers=cpus, ray=address))
            con = Workspace(ws).connect(read_only=True)
            try:
                return funnel(con), con.execute(
                    "SELECT correct, reason, count(*) FROM sample_verdicts GROUP BY ALL ORDER BY ALL").fetchall()
            finally:
                con.close()
        return run
    return {size: command(size) for size in sizes}


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


def replay_sizes(sizes: list[int], cpus: int, work: Path) -> dict[int, Callable[[str | None], object]]:
    """One `evals run --backend replay` per size (a multiple of math500's 500 problems: k samples each)."""
    runs = iter(range(1000))

    def command(size: int) -> Callable[[str | None], object]:
        k = replay_file(work / f"replay{size}.jsonl", size)

        def run(address: str | None) -> object:
            config = RunConfig(model="test/bench", backend="replay", replay=[str(work / f"replay{size}.jsonl")],
                               benchmarks=["math500"], samples=k, db=str(work / f"store{next(runs)}"),
                               verify_workers=cpus, ray=address)
            (result,) = Runner(config).run()
            return {key: result[key] for key in ("samples", "pass@1", "reasons") if key in result}
        return run
    return {size: command(size) for size in sizes}


def bench(name: str, commands: dict[int, Callable[[str | None], object]], address: str, cpus: int, repeat: int,
          profile: bool) -> None:
    """Both modes at both sizes (alternating; the best of `repeat` runs each, after an untimed warm-up run of
    each mode), then the fixed cost and the steady state from the two sizes."""
    small, large = sorted(commands)
    modes = {"local": None, "ray": address}
    for mode in modes:  # first-run costs of this process (imports, Ray's worker pool) belong to neither size
        commands[small](modes[mode])
    runs: dict[tuple[str, int], dict] = {}
    prof = cProfile.Profile() if profile else None
    for round_ in range(repeat):
        for size in (small, large):
            for mode in modes:
                run = timed(modes[mode], commands[size], prof if (mode, size, round_) == ("ray", large, 0) else None)
                print(f"  {name} {mode:5} {size:6} samples: {run['seconds']:.1f} s | load {os.getloadavg()[0]:.1f}",
                      flush=True)
                if (mode, size) not in runs or run["seconds"] < runs[mode, size]["seconds"]:
                    runs[mode, size] = run
    same = all(runs["local", n]["result"] == runs["ray", n]["result"] for n in (small, large))
    fit = {}
    for mode in modes:
        per = (runs[mode, large]["seconds"] - runs[mode, small]["seconds"]) / (large - small)
        fit[mode] = per, runs[mode, large]["seconds"] - large * per
    (local_per, local_fixed), (ray_per, ray_fixed) = fit["local"], fit["ray"]
    print(f"{name}: {small} and {large} samples, {cpus} CPUs, best of {repeat} | identical results: {same}\n"
          f"  steady state: local {local_per * 1e3:.2f} ms/sample ({1 / local_per:.0f}/s), ray {ray_per * 1e3:.2f} "
          f"ms/sample ({1 / ray_per:.0f}/s) | ray/local {ray_per / local_per:.2f} | ray overhead "
          f"{(ray_per - local_per) * 1e3:+.2f} ms/sample\n"
          f"  fixed (start-up, per command): local {local_fixed:.1f} s, ray {ray_fixed:.1f} s | end to end at {large}: "
          f"ray/local {runs['ray', large]['seconds'] / runs['local', large]['seconds']:.2f}", flush=True)
    for n in (small, large):
        if runs["local", n]["result"] != runs["ray", n]["result"]:
            print(f"  {n} local: {runs['local', n]['result']}\n  {n} ray:   {runs['ray', n]['result']}")
    if prof:
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(r"(evals|curation|ray/_private/worker)",
                                                                             18)
        print(f"  driver profile, ray {large} samples (cumulative s):\n" + "\n".join(
            "    " + line for line in out.getvalue().splitlines() if line.strip() and "function calls" not in line))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verify-samples", type=int, default=20000, help="synthetic samples for curation verify")
    parser.add_argument("--replay-samples", type=int, default=10000, help="replayed math500 samples for evals run")
    parser.add_argument("--cpus", type=int, default=os.cpu_count(), help="CPUs, locally and in the Ray cluster")
    parser.add_argument("--corpus", help="cache folder for the synthetic corpora, one per size (default: temporary)")
    parser.add_argument("--only", choices=["verify", "replay"], help="run one of the two")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs per mode and size; the best counts")
    parser.add_argument("--profile", action="store_true", help="cProfile the driver of the largest Ray runs")
    args = parser.parse_args()
    verify = sorted({args.verify_samples // 4, args.verify_samples})
    replay = sorted({max(500, args.replay_samples // 2000 * 500), max(1000, args.replay_samples // 500 * 500)})
    print(f"sizes: curation verify {verify} samples, replay {replay} samples, {args.cpus} CPUs local and in Ray "
          f"{ray.__version__}; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} "
          "cores", flush=True)
    _has_gpu()  # imports torch here, not in the first timed run
    cluster, started = start_cluster(args.cpus)
    print(f"ray cluster start (fixed, once per cluster): {started:.1f} s", flush=True)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-ray-") as tmp:
            work = Path(tmp)
            if args.only in (None, "verify"):
                corpus = Path(args.corpus) if args.corpus else work / "corpus"
                (work / "verify").mkdir()
                bench("curation verify", verify_sizes(verify, args.cpus, corpus, work / "verify"), cluster.address,
                      args.cpus, args.repeat, args.profile)
            if args.only in (None, "replay"):
                (work / "replay").mkdir()
                bench("evals run (replay)", replay_sizes(replay, args.cpus, work / "replay"), cluster.address,
                      args.cpus, args.repeat, args.profile)
    finally:
        ray.shutdown()  # the commands disconnect on their way out; a failed one may not have
        cluster.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
