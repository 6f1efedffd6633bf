"""The cluster side of tests/test_ray.py, run inside a network namespace with only loopback:

    unshare -n sh -c 'ip link set lo up && python -m tests.ray_scenarios OUT REPLAY_FILE'
    unshare -n sh -c 'ip link set lo up && python -m tests.ray_scenarios curation OUT'

Starts a real three-node Ray cluster (a head and two workers, one CPU each), runs `python -m evals run`
drivers against it as separate processes (so a driver can be SIGKILLed while the cluster lives on),
and writes OUT/result.json (return codes, logs); the test compares the stores it leaves in OUT.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from ray.cluster_utils import Cluster

ROOT = Path(__file__).resolve().parents[1]
NODE = {"num_cpus": 1, "object_store_memory": 80 * 1024 * 1024}
SLOW = ["--model", "test/fake", "--backend", "tests.fake_backends:Slow", "--benchmark", "math500", "--limit", "30",
        "--samples", "4"]


HF = ["--model", "smollm2-135m-instruct", "--benchmark", "math500", "--limit", "2", "--samples", "2", "--max-tokens",
      "8", "--batch-size", "1"]
DIES = ["--model", "test/fake", "--backend", "tests.fake_backends:DiesOnFirstUnit", "--benchmark", "math500", "--limit",
        "12", "--samples", "2"]
GENERATE = ["--model", "test/fake", "--backend", "tests.fake_backends:Deterministic", "--samples", "3"]


def lcb_args(out: Path) -> list[str]:
    """A LiveCodeBench run on the replayed completions the test wrote (out/lcb.jsonl, out/lcb_replay.jsonl)."""
    return ["--model", "test/lcb", "--backend", "replay", "--replay", str(out / "lcb_replay.jsonl"), "--benchmark",
            "livecodebench", "--data", f"livecodebench={out / 'lcb.jsonl'}", "--samples", "2"]


def judge_table(address: str, head: str) -> dict:
    """RayJudgePool.judge_many on tests/test_ray.JUDGE_JOBS: each result, and the nodes its actors ran on."""
    import ray

    from evals.judge.distributed import RayJudgePool

    from .test_ray import JUDGE_JOBS

    ray.init(address=address, log_to_driver=False, runtime_env={"env_vars": {"PYTHONPATH": str(ROOT)}})
    try:
        with RayJudgePool() as judges:
            results = judges.judge_many(JUDGE_JOBS)
            nodes = ray.get([a.node.remote() for a in judges.actors])
        return {"results": [r.to_dict() for r in results], "actor_nodes": nodes,
                "worker_nodes": [n["NodeID"] for n in ray.nodes() if n["Alive"] and n["NodeID"] != head]}
    finally:
        ray.shutdown()


def evals_run(db: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "evals", "run", "--db", str(db), *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish(proc: subprocess.Popen) -> dict:
    out, _ = proc.communicate(timeout=600)
    return {"rc": proc.returncode, "log": out[-4000:]}


def stored(db: Path) -> int:
    return len(list((db / "samples").glob("*.parquet"))) if (db / "samples").exists() else 0


def wait_for_samples(db: Path, proc: subprocess.Popen, limit_s: float = 300) -> bool:
    """Until the driver has written its first segment (generation is under way)."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline and proc.poll() is None:
        if stored(db):
            return True
        time.sleep(0.2)
    return False


def main(out: Path, replay: str) -> None:
    result: dict = {}
    os.environ["DIES_ON_FILE"] = str(out / "die")  # the cluster's workers inherit it (tests.fake_backends)
    cluster = Cluster(initialize_head=True, head_node_args={**NODE, "include_dashboard": False})
    workers = [cluster.add_node(**NODE) for _ in range(2)]
    cluster.wait_for_nodes()
    address = cluster.address
    result["address"] = address
    try:
        # (1) replay through the cluster vs locally
        replay_args = ["--model", "test/tldr7b", "--backend", "replay", "--replay", replay, "--benchmark", "math500",
                       "--limit", "40", "--samples", "1"]
        result["replay_ray"] = finish(evals_run(out / "replay_ray", *replay_args, "--ray", address))
        # (2) a worker node removed while its engine holds units
        proc = evals_run(out / "removed", *SLOW, "--ray", address)
        result["removed_started"] = wait_for_samples(out / "removed", proc)
        cluster.remove_node(workers[0])
        result["removed"] = finish(proc)
        cluster.add_node(**NODE)  # back to three nodes for the next driver
        cluster.wait_for_nodes()
        # (3) the driver SIGKILLed midway, then the same command again
        proc = evals_run(out / "killed", *SLOW, "--ray", address)
        result["killed_started"] = wait_for_samples(out / "killed", proc)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        result["killed_segments"] = stored(out / "killed")
        result["resumed"] = finish(evals_run(out / "killed", *SLOW, "--ray", address))
        # (4) the real model through the hf backend (one request per batch: seeded per sample)
        result["hf_ray"] = finish(evals_run(out / "hf_ray", *HF, "--ray", address))
        # (5) a unit whose engine dies every time: the run stops naming it; then the same command resumes
        (out / "die").touch()
        result["lost_thrice"] = finish(evals_run(out / "lost", *DIES, "--ray", address))
        (out / "die").unlink()
        result["lost_resumed"] = finish(evals_run(out / "lost", *DIES, "--ray", address))
        # (6) curation generate on the cluster, into a copy of the workspace the test prepared
        shutil.copytree(out / "gen_base", out / "gen_ray")
        result["generate_ray"] = finish(subprocess.Popen(
            [sys.executable, "-m", "curation", "generate", "--workdir", str(out / "gen_ray"), *GENERATE, "--ray",
             address], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
        # (7) the code judge's sandbox actors: a table of submissions, and a code benchmark run
        result["judged"] = judge_table(address, cluster.head_node.node_id)
        result["lcb_ray"] = finish(evals_run(out / "lcb_ray", *lcb_args(out), "--ray", address))
    finally:
        cluster.shutdown()
        (out / "result.json").write_text(json.dumps(result, indent=1))


def curation_verify(workdir: Path, address: str, log: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "curation", "verify", "--workdir", str(workdir), "--batch-size",
                             "48", "--ray", address], cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT)


def curation(out: Path) -> None:
    """`python -m curation verify --ray` of the workspace OUT/base (prepared by the test): once on the whole
    cluster, once losing a worker node shortly after the driver starts verifying."""
    result: dict = {}
    cluster = Cluster(initialize_head=True, head_node_args={**NODE, "include_dashboard": False})
    workers = [cluster.add_node(**NODE) for _ in range(2)]
    cluster.wait_for_nodes()
    try:
        for name in ("verify_ray", "verify_removed"):
            shutil.copytree(out / "base", out / name)
        proc = curation_verify(out / "verify_ray", cluster.address, out / "verify_ray.log")
        result["verify_ray"] = {"rc": proc.wait(timeout=600), "log": (out / "verify_ray.log").read_text()[-4000:]}
        log = out / "verify_removed.log"
        proc = curation_verify(out / "verify_removed", cluster.address, log)
        deadline = time.monotonic() + 300
        while proc.poll() is None and "verify: " not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(2.0)  # the verifier actors and the first text-signal tasks are placed by now
        result["removed_midway"] = proc.poll() is None
        cluster.remove_node(workers[0])
        result["verify_removed"] = {"rc": proc.wait(timeout=600), "log": log.read_text()[-4000:]}
    finally:
        cluster.shutdown()
        (out / "result.json").write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    if sys.argv[1] == "curation":
        curation(Path(sys.argv[2]))
    else:
        main(Path(sys.argv[1]), sys.argv[2])
