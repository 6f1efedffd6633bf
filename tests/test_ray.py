"""`python -m evals run --ray`: a real three-node Ray cluster on this machine, inside a network namespace
that has only loopback (so Ray binds 127.0.0.1 and sends nothing to the machine's external address).

The cluster side runs once per module (tests/ray_scenarios.py, under `unshare -n`): a replay run, a run
that loses a worker node midway, and a driver SIGKILLed midway then run again. These tests compare the
stores it leaves with the same commands run here without --ray.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from evals.store import Store

from .conftest import ROOT, replay_file
from .test_code_benchmarks import WINDOW_ROWS, write_jsonl
from .test_judge import AB, CPP_AB, FUNC, PY_AB
from .test_runner import METRIC_KEYS, results

JUDGE_JOBS = [(AB, PY_AB, "python"), (AB, "a, b = map(int, input().split())\nprint(a - b)", "python"),
              (AB, "print(3\n", "python"), (AB, "raise ValueError('boom')", "python"),
              (AB, "while True:\n    pass", "python"), (AB, CPP_AB, "cpp"), (AB, "int main(){ return 0 }", "cpp"),
              (FUNC, "class Solution:\n    def twoSum(self, nums, target):\n        return [0, 1]\n", "python")]
PY_SUM = "```python\na, b = map(int, input().split())\nprint(a + b)\n```"
TWO_SUM = ("```python\nclass Solution:\n    def twoSum(self, nums, target):\n        seen = {}\n        for i, x in "
           "enumerate(nums):\n            if target - x in seen:\n                return [seen[target - x], i]\n"
           "            seen[x] = i\n```")
LCB_REPLAY = [("first-day", 0, PY_SUM), ("first-day", 1, "```python\nprint(0)\n```"), ("lc-3000", 0, TWO_SUM),
              ("lc-3000", 1, "no code at all"), ("last-day", 0, PY_SUM), ("last-day", 1, "```python\nprint(3\n```")]
SLOW = ["--model", "test/fake", "--backend", "tests.fake_backends:Slow", "--benchmark", "math500", "--limit", "30",
        "--samples", "4"]


def evals_run(db: Path, *args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SLOW_DELAY": "0"}  # the same samples, without the wait
    done = subprocess.run([sys.executable, "-m", "evals", "run", "--db", str(db), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]


def rows(db: Path, table: str, dedupe: bool = False) -> list[tuple]:
    """Every row ever written (raw segments), or one per key (the store's view), minus write times."""
    con = Store(db).connect()
    if dedupe:
        source = table
    else:
        source = f"read_parquet({sorted(str(p) for p in (db / table).glob('*.parquet'))!r}, union_by_name = true)"
    cursor = con.execute(f"SELECT * EXCLUDE (created_at) FROM {source}")
    return sorted(cursor.fetchall(), key=repr)


def metrics(db: Path) -> dict:
    (result,) = results(db).values()
    return {k: result[k] for k in METRIC_KEYS if k in result}


def in_loopback_namespace(*args: str) -> subprocess.CompletedProcess:
    """`python -m tests.ray_scenarios ARGS` inside a network namespace with only loopback."""
    if not shutil.which("unshare") or subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode:
        pytest.skip("`unshare -n` is not permitted here (needs root or user namespaces): no loopback-only cluster")
    pytest.importorskip("ray", reason="pip install 'r1-evals[ray]'")
    script = f"ip link set lo up && exec {sys.executable} -m tests.ray_scenarios {' '.join(args)}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RAY_USAGE_STATS_ENABLED": "0"}
    return subprocess.run(["unshare", "-n", "sh", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=1500)


@pytest.fixture(scope="module")
def cluster_runs(tmp_path_factory) -> tuple[Path, dict]:
    replay = replay_file("tldr7b_math500_n1.json")
    out = tmp_path_factory.mktemp("ray")
    prepare_generate(out / "gen_base")
    write_jsonl(out / "lcb.jsonl", WINDOW_ROWS)
    write_jsonl(out / "lcb_replay.jsonl", [{"problem_id": p, "sample_index": i, "completion": f"<think>ok</think>{c}"}
                                           for p, i, c in LCB_REPLAY])
    done = in_loopback_namespace(str(out), str(replay))
    assert (out / "result.json").exists(), done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads((out / "result.json").read_text())
    assert done.returncode == 0, done.stderr[-3000:]
    return out, result


def prepare_generate(workdir: Path) -> None:
    """A curation workspace of 6 prompts, for `curation generate` on the cluster and here."""
    from curation import stages
    from curation.db import Workspace
    from curation.ingest import IngestOptions

    source = workdir.parent / "prompts.jsonl"
    write_jsonl(source, [{"id": f"sum-{a}", "problem": f"What is {a} + 2?", "answer": str(a + 2)} for a in range(6)])
    stages.ingest(Workspace(workdir), IngestOptions(source=str(source), domain="math", name="sums"))


@pytest.mark.slow
def test_ray_binds_loopback_and_a_replay_run_matches_the_local_run(cluster_runs, tmp_path):
    out, result = cluster_runs
    assert result["address"].startswith("127.0.0.1:"), result["address"]
    assert result["replay_ray"]["rc"] == 0, result["replay_ray"]["log"]
    replay = str(replay_file("tldr7b_math500_n1.json"))
    evals_run(tmp_path / "local", "--model", "test/tldr7b", "--backend", "replay", "--replay", replay,
              "--benchmark", "math500", "--limit", "40", "--samples", "1")
    ray_db, local_db = out / "replay_ray", tmp_path / "local"
    for table in ("samples", "verdicts"):
        assert rows(ray_db, table) == rows(local_db, table), table
    assert len(rows(ray_db, "samples")) == 40
    assert metrics(ray_db) == metrics(local_db)
    (manifest,) = [json.loads(p.read_text()) for p in (ray_db / "runs").glob("*.json")]
    cluster = manifest["invocations"][-1]["cluster"]
    assert len(cluster["nodes"]) == 3 and cluster["cpus"] == 3 and cluster["ray_version"]


@pytest.mark.slow
def test_a_worker_node_removed_midway_loses_and_duplicates_nothing(cluster_runs, tmp_path):
    out, result = cluster_runs
    assert result["removed_started"], result["removed"]["log"]
    assert result["removed"]["rc"] == 0, result["removed"]["log"]
    assert "lost (" in result["removed"]["log"], "the removed node should have held units: " + result["removed"]["log"]
    evals_run(tmp_path / "clean", *SLOW)
    db = out / "removed"
    samples = rows(db, "samples")
    assert len(samples) == 120 == len(rows(db, "samples", dedupe=True)), "one row per unit, none missing"
    assert rows(db, "verdicts") == rows(db, "verdicts", dedupe=True), "no verdict written twice"
    assert samples == rows(tmp_path / "clean", "samples")
    assert rows(db, "verdicts") == rows(tmp_path / "clean", "verdicts")
    assert metrics(db) == metrics(tmp_path / "clean")


@pytest.mark.slow
def test_a_driver_sigkilled_midway_resumes_with_the_same_command(cluster_runs, tmp_path):
    out, result = cluster_runs
    assert result["killed_started"] and result["killed_segments"] > 0
    resumed = result["resumed"]
    assert resumed["rc"] == 0, resumed["log"]
    assert "samples already stored" in resumed["log"] and "0 samples already stored" not in resumed["log"]
    evals_run(tmp_path / "clean", *SLOW)
    db = out / "killed"
    assert len(rows(db, "samples")) == 120 == len(rows(db, "samples", dedupe=True))
    assert rows(db, "samples") == rows(tmp_path / "clean", "samples")
    assert rows(db, "verdicts", dedupe=True) == rows(tmp_path / "clean", "verdicts", dedupe=True)
    assert metrics(db) == metrics(tmp_path / "clean")


@pytest.mark.slow
def test_an_hf_run_on_the_cluster_matches_the_local_run(cluster_runs, tmp_path):
    """SmolLM2 on three engine actors: with one request per batch each sample is seeded by its own seed,
    so how the units were chunked over the actors changes nothing (hf seeds per batch, so larger batches
    depend on their composition: see README, 'Running on a Ray cluster')."""
    from .ray_scenarios import HF

    out, result = cluster_runs
    assert result["hf_ray"]["rc"] == 0, result["hf_ray"]["log"]
    evals_run(tmp_path / "local", *HF)
    for table in ("samples", "verdicts"):
        assert rows(out / "hf_ray", table) == rows(tmp_path / "local", table), table
    assert len(rows(out / "hf_ray", "samples")) == 4
    assert metrics(out / "hf_ray") == metrics(tmp_path / "local")


@pytest.mark.slow
def test_a_unit_lost_every_time_stops_naming_it_and_the_same_command_resumes(cluster_runs, tmp_path):
    from evals.benchmarks import BENCHMARKS

    from .ray_scenarios import DIES

    out, result = cluster_runs
    first = BENCHMARKS["math500"].load({})[0].id
    lost, resumed = result["lost_thrice"], result["lost_resumed"]
    assert lost["rc"] == 1, lost["log"]
    assert "lost 3 times" in lost["log"] and f"({first}, sample 0)" in lost["log"], lost["log"]
    assert "Traceback" not in lost["log"], "a clear message, not a traceback: " + lost["log"]
    assert resumed["rc"] == 0 and "0 samples already stored" not in resumed["log"], resumed["log"]
    evals_run(tmp_path / "clean", *DIES)  # DIES_ON_FILE unset here: nothing dies
    db = out / "lost"
    assert len(rows(db, "samples")) == 24 == len(rows(db, "samples", dedupe=True)), "nothing lost or doubled"
    assert rows(db, "samples") == rows(tmp_path / "clean", "samples")
    assert rows(db, "verdicts", dedupe=True) == rows(tmp_path / "clean", "verdicts", dedupe=True)
    assert metrics(db) == metrics(tmp_path / "clean")


@pytest.mark.slow
def test_curation_generate_on_the_cluster_writes_the_local_samples(cluster_runs, tmp_path):
    from curation import stages
    from curation.db import Workspace
    from curation.generate import GenerateOptions

    out, result = cluster_runs
    assert result["generate_ray"]["rc"] == 0, result["generate_ray"]["log"]
    assert "18 to generate" in result["generate_ray"]["log"]
    shutil.copytree(out / "gen_base", tmp_path / "local")
    stages.generate(Workspace(tmp_path / "local"), GenerateOptions(model="test/fake", samples=3,
                                                                   backend="tests.fake_backends:Deterministic"))
    assert rows(out / "gen_ray" / "store", "samples") == rows(tmp_path / "local" / "store", "samples")
    assert len(rows(out / "gen_ray" / "store", "samples")) == 18


def _verdict(result: dict) -> tuple:
    return (result["reason"], result["correct"], result["passed"], result["total_tests"],
            result["compile_output"] is not None, [t["reason"] for t in result["tests"]])


@pytest.mark.slow
def test_judging_through_sandbox_actors_on_the_worker_nodes_gives_judge_many_verdicts(cluster_runs):
    from evals.judge.judging import judge_many

    _, result = cluster_runs
    judged = result["judged"]
    local = [_verdict(r.to_dict()) for r in judge_many(JUDGE_JOBS, workers=2)]
    assert [_verdict(r) for r in judged["results"]] == local
    assert {r[0] for r in local} >= {"correct", "wrong_answer", "compile_error", "runtime_error", "time_limit"}
    assert len(judged["worker_nodes"]) == 2 and set(judged["worker_nodes"]) <= set(judged["actor_nodes"])


@pytest.mark.slow
def test_a_code_benchmark_on_the_cluster_is_judged_by_sandbox_actors(cluster_runs, tmp_path):
    from .ray_scenarios import lcb_args

    out, result = cluster_runs
    assert result["lcb_ray"]["rc"] == 0, result["lcb_ray"]["log"]
    assert "sandbox actors ready, isolation checked on 3 nodes" in result["lcb_ray"]["log"], result["lcb_ray"]["log"]
    evals_run(tmp_path / "local", *lcb_args(out))
    query = "SELECT problem_id, sample_index, correct, reason FROM verdicts WHERE verifier = 'code'"
    ray_rows, local_rows = (sorted(Store(db).connect().execute(query).fetchall()) for db in (out / "lcb_ray",
                                                                                               tmp_path / "local"))
    assert ray_rows == local_rows and len(ray_rows) == 6
    assert {r[3] for r in ray_rows} >= {"correct", "wrong_answer", "no_code"}
    assert metrics(out / "lcb_ray") == metrics(tmp_path / "local")


def test_a_sandbox_actor_refuses_a_node_without_isolation(monkeypatch):
    pytest.importorskip("ray", reason="pip install 'r1-evals[ray]'")
    from evals.errors import SetupError
    from evals.judge import distributed, isolation

    monkeypatch.setattr(isolation, "isolation_report", lambda: {"ok": False, "problems": ["bubblewrap is missing"]})
    with pytest.raises(SetupError, match=r"does not isolate on node \S+: bubblewrap is missing"):
        distributed._Sandbox()
    wrapped = RuntimeError("The actor died because of an error raised in its creation task ... SetupError: "
                           f"{distributed.REFUSAL} 10.0.0.7: bubblewrap is missing. Run ...")
    assert distributed._refusal(wrapped).startswith(f"{distributed.REFUSAL} 10.0.0.7: bubblewrap is missing")


@pytest.mark.slow
def test_without_ray_nothing_imports_ray(tmp_path):
    code = ("import sys, evals.runner, evals.cli\n"
            "assert 'ray' not in sys.modules, 'import'\n"
            f"sys.argv = ['evals', 'run', '--db', {str(tmp_path / 'db')!r}, '--model', 'test/fake', '--backend',"
            " 'tests.fake_backends:Deterministic', '--benchmark', 'math500', '--limit', '2', '--samples', '1']\n"
            "try:\n    evals.cli.main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
            "assert 'ray' not in sys.modules, 'run'\n"
            "from evals.judge.cli import judge_command\n"
            "import argparse\n"
            "judge_command(argparse.Namespace(check=True, ray=None))\n"
            "assert 'ray' not in sys.modules, 'judge --check'\n"
            "from curation import stages\nfrom curation.db import Workspace\n"
            "from curation.generate import GenerateOptions\nfrom curation.ingest import IngestOptions\n"
            f"ws = Workspace({str(tmp_path / 'ws')!r})\n"
            f"open({str(tmp_path / 'p.jsonl')!r}, 'w').write('{{\"problem\": \"What is 1 + 1?\", \"answer\": \"2\"}}\\n')\n"
            f"stages.ingest(ws, IngestOptions(source={str(tmp_path / 'p.jsonl')!r}, domain='math', name='p'))\n"
            "stages.generate(ws, GenerateOptions(model='test/fake', samples=1, "
            "backend='tests.fake_backends:Deterministic'))\n"
            "assert 'ray' not in sys.modules, 'curation generate'\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.mark.parametrize("argv, expected", [(["--ray"], "auto"), (["--ray", "10.0.0.1:6379"], "10.0.0.1:6379"),
                                            ([], None)])
def test_the_ray_flag_takes_an_optional_address(argv, expected):
    from evals.cli import _build_parser
    from evals.config import RunConfig
    from evals.config_flags import build

    assert build(RunConfig, {}, _build_parser().parse_args(["run", *argv])).ray == expected


def curation_rows(workdir: Path) -> dict:
    """Everything curation verify leaves, minus write times: verdicts, measures, the checks view, the funnel."""
    from curation.card import funnel
    from curation.db import Workspace

    con = Workspace(workdir).connect(read_only=True)
    try:
        out = {table: sorted(con.execute(f"SELECT * EXCLUDE ({stamp}) FROM {table}").fetchall(), key=repr)
               for table, stamp in (("sample_verdicts", "created_at"), ("measures", "measured_at"))}
        out["checks"] = sorted(con.execute("SELECT * EXCLUDE (checked_at) FROM checks").fetchall(), key=repr)
        out["funnel"] = funnel(con)
        out["rows_written"] = con.execute("SELECT count(*) FROM sample_verdicts").fetchall()[0][0]
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def curation_runs(tmp_path_factory) -> tuple[Path, dict, dict]:
    """A workspace of 320 synthetic samples, verified here without --ray, and on the cluster twice."""
    from curation import stages
    from curation.db import Workspace
    from curation.ingest import IngestOptions
    from curation.verify import VerifyOptions

    from .fixtures.synthetic_corpus import generate

    out = tmp_path_factory.mktemp("ray_curation")
    generate(out / "corpus", 320, seed=0, workers=1, part_samples=1000, progress=False)
    ws = Workspace(out / "base")
    stages.ingest(ws, IngestOptions(source=str(out / "corpus" / "prompts.parquet"), name="synthetic"))
    stages.add_samples(ws, sorted(str(p) for p in (out / "corpus" / "samples").glob("*.parquet")), "synthetic", None)
    shutil.copytree(out / "base", out / "local")
    stages.verify(Workspace(out / "local"), VerifyOptions(workers=2, batch_size=48))
    done = in_loopback_namespace("curation", str(out))
    assert (out / "result.json").exists(), done.stdout[-3000:] + done.stderr[-3000:]
    assert done.returncode == 0, done.stderr[-3000:]
    return out, json.loads((out / "result.json").read_text()), curation_rows(out / "local")


@pytest.mark.slow
def test_curation_verify_on_the_cluster_writes_the_local_rows(curation_runs):
    out, result, local = curation_runs
    assert result["verify_ray"]["rc"] == 0, result["verify_ray"]["log"]
    assert local["funnel"][1] == ("verified", 320) and local["checks"]
    assert any(row[3] is True for row in local["sample_verdicts"]) and any(row[3] is False for row in
                                                                             local["sample_verdicts"])
    assert curation_rows(out / "verify_ray") == local


@pytest.mark.slow
def test_curation_verify_losing_a_worker_node_midway_loses_and_duplicates_nothing(curation_runs):
    out, result, local = curation_runs
    assert result["removed_midway"], "the verify finished before the node was removed: " + \
        result["verify_removed"]["log"]
    log = result["verify_removed"]["log"]
    assert result["verify_removed"]["rc"] == 0, log
    # the removed node held verifier actors (half a CPU each: two at most); a dead one is not given work again
    assert 1 <= log.count("lost (") <= 2, log
    assert curation_rows(out / "verify_removed") == local


def test_curation_verify_and_run_take_an_optional_ray_address():
    from curation.cli import parser
    from curation.generate import GenerateOptions
    from curation.verify import VerifyOptions
    from evals.cli import _build_parser
    from evals.config_flags import build

    for argv, expected in ((["--ray"], "auto"), (["--ray", "10.0.0.1:6379"], "10.0.0.1:6379"), ([], None)):
        assert build(VerifyOptions, {}, parser().parse_args(["verify", *argv])).ray == expected
        assert parser().parse_args(["run", *argv]).ray == expected
        assert build(GenerateOptions, {}, parser().parse_args(["generate", *argv])).ray == expected
        assert _build_parser().parse_args(["judge", *argv]).ray == expected


@pytest.mark.slow
def test_curation_verify_without_ray_never_imports_ray(tmp_path):
    code = ("import sys\nfrom curation import stages\nfrom curation.db import Workspace\n"
            "from curation.verify import VerifyOptions\n"
            f"stages.verify(Workspace({str(tmp_path / 'ws')!r}), VerifyOptions(workers=1))\n"
            "assert 'ray' not in sys.modules\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
