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
