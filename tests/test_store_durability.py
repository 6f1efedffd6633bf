"""What a kill or a second writer can do to a run, done for real: SIGKILL inside the flush window (a
stalled fake engine and the real hf backend), random SIGKILLs of a replay run, readers during a
writer, and two writers of one run (refused unless their shards are disjoint; a stale lock is taken over)."""
from __future__ import annotations

import json
import os
import platform
import random
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from evals.store import Store
from evals.store_lock import STALE_AFTER_S, StoreBusy, WriterLock
from evals.streaming import FLUSH_SECONDS, stream_to_store
from evals.verifiers import VERIFIER_VERSION

from .conftest import ROOT, replay_file
from .test_runner import FAKE, METRIC_KEYS, evals, raw_rows, results

WINDOW = FLUSH_SECONDS + 0.5  # a completion this old must be on disk (0.5 s: a loaded CI machine's slack)


def _start(*args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "evals", *args], cwd=ROOT, env={**os.environ, **(env or {})},
                            start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # the runner and its verifier workers, no chance to clean up
    except ProcessLookupError:  # it had finished
        pass
    proc.wait()


def _wait_for(predicate, timeout: float = 120, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_a_completion_is_written_within_the_window_while_the_backend_stalls():
    """The old loop wrote a completion only when the next one arrived: here none does for 10 s."""
    release, written = threading.Event(), []

    def engine():
        yield "first"
        release.wait(10)  # a slow engine computing its next batch
        yield "second"

    def flush(batch):
        written.append((time.monotonic(), list(batch)))
        return batch

    verdicts = []
    thread = threading.Thread(target=stream_to_store, args=(engine(), 2, "test", flush),
                              kwargs={"then": verdicts.append})
    started = time.monotonic()
    thread.start()
    _wait_for(lambda: written, timeout=WINDOW + 1, what="the first write")
    assert written[0][1] == ["first"] and written[0][0] - started < WINDOW
    _wait_for(lambda: verdicts == [["first"]], timeout=WINDOW, what="the first batch's verdicts")
    release.set()
    thread.join(10)
    assert [batch for _, batch in written] == [["first"], ["second"]] and verdicts == [["first"], ["second"]]


@pytest.mark.parametrize("failure", ["engine", "writer"])
def test_a_failure_keeps_what_arrived_and_reaches_the_caller(failure):
    written = []

    def engine():
        yield from ("a", "b")
        if failure == "engine":
            raise KeyboardInterrupt  # Ctrl-C in the engine

    def flush(batch):
        if failure == "writer":
            raise OSError(28, "No space left on device")
        written.extend(batch)

    with pytest.raises(KeyboardInterrupt if failure == "engine" else OSError):
        stream_to_store(engine(), 2, "test", flush)
    assert written == (["a", "b"] if failure == "engine" else [])


@pytest.mark.parametrize("then", [None, list.append])
def test_a_finished_stream_writes_everything_and_raises_nothing(then):
    """Without `then` (curation's generation writes samples only) as with it."""
    written, after = [], []
    stream_to_store(iter(range(600)), 600, "test", lambda batch: written.extend(batch) or batch,
                    then=(lambda batch: after.extend(batch)) if then else None)
    assert written == list(range(600)) and after == (list(range(600)) if then else [])


def _stall_log(path: Path) -> dict[int, float]:
    if not path.exists():
        return {}
    return {int(n): float(t) for n, t in (line.split() for line in path.read_text().splitlines())}


def test_sigkill_inside_the_flush_window_keeps_the_samples_and_their_verdicts(tmp_path):
    """An engine yields one completion and stalls, yields a second and hangs: each completion is on disk within
    the window while the engine stalls, and the second's verdicts too (the verifiers warm by then: their
    first start takes seconds) when the kill comes."""
    db, log, go = tmp_path / "db", tmp_path / "stall.log", tmp_path / "go"
    proc = _start("run", "--model", "test/fake", "--backend", "tests.fake_backends:Stalling", "--benchmark",
                  "math500", "--limit", "3", "--samples", "1", "--db", str(db),
                  env={"STALL_LOG": str(log), "STALL_GO": str(go)})
    try:
        _wait_for(lambda: 1 in _stall_log(log), what="the first completion")
        time.sleep(max(0.0, _stall_log(log)[1] + WINDOW - time.time()))
        assert proc.poll() is None and 2 not in _stall_log(log), "the engine should still be stalled"
        assert len(raw_rows(db, "samples")) == 1, "a completion older than the window is not on disk"
        _wait_for(lambda: Store(db).has_segments("verdicts"), what="the first verdicts")
        go.touch()
        _wait_for(lambda: 2 in _stall_log(log), what="the second completion")
        time.sleep(max(0.0, _stall_log(log)[2] + WINDOW - time.time()))
        assert proc.poll() is None
    finally:
        _kill(proc)
    stored = Store(db).query("SELECT s.sample_index, v.verifier FROM samples s JOIN verdicts v USING "
                             "(model, revision, prompt_hash, sampling_hash, sample_index)")
    assert len(raw_rows(db, "samples")) == 2
    assert sorted(r["verifier"] for r in stored).count("math") == 2, stored


def _progress(proc: subprocess.Popen, seen: list[tuple[int, float]]) -> None:
    """Read the generate bar's counts from stderr as they are printed: (count, time) each time it grows."""
    text = ""
    while chunk := proc.stderr.read(1):
        text += chunk
        if chunk in "\r\n":
            found = re.findall(r"generate \w+:.*?(\d+)/\d+", text)
            if found and int(found[-1]) > (seen[-1][0] if seen else 0):
                seen.append((int(found[-1]), time.time()))
            text = ""


@pytest.mark.slow
def test_hf_backend_sigkill_inside_the_flush_window(tmp_path):
    """The real model, one completion per batch: kill once a completion is older than the window while the
    next is still being generated; every completion the progress bar counted by then is in the store."""
    db, seen = tmp_path / "db", []
    proc = _start("run", "--model", "smollm2-135m-instruct", "--benchmark", "math500", "--limit", "4", "--samples",
                  "1", "--batch-size", "1", "--max-tokens", "128", "--db", str(db))
    reader = threading.Thread(target=_progress, args=(proc, seen), daemon=True)
    reader.start()
    try:
        while True:  # the first completion followed by a gap longer than the window
            _wait_for(lambda: seen or proc.poll() is not None, timeout=600, what="a completion")
            assert proc.poll() is None, "the run ended before a completion was followed by a gap"
            count, at = seen[-1]
            time.sleep(max(0.0, at + WINDOW - time.time()))
            if seen[-1][0] == count and proc.poll() is None:
                break
    finally:
        _kill(proc)
    assert len(raw_rows(db, "samples")) >= count >= 1


@pytest.mark.slow
def test_random_sigkills_of_a_replay_run_lose_and_duplicate_nothing(tmp_path):
    """500 real completions; three SIGKILLs at random moments, then a resume: the clean run's samples and numbers."""
    args = ["--model", "test/tldr7b", "--backend", "replay", "--replay", str(replay_file("tldr7b_math500_n1.json")),
            "--benchmark", "math500", "--samples", "1"]
    clean = evals("run", *args, "--db", str(tmp_path / "clean"))
    assert clean.returncode == 0, clean.stderr
    seed = int(os.environ.get("KILL_SEED", time.time_ns() % 10_000))
    db, rng, done = tmp_path / "killed", random.Random(seed), []

    def verdicts() -> int:
        return len(Store(db).verdict_keys("math", VERIFIER_VERSION))

    for _ in range(3):  # replay writes its samples at once, then verifies: each kill at a random moment after
        proc = _start("run", *args, "--db", str(db))
        _wait_for(lambda p=proc: Store(db).has_segments("samples") or p.poll() is not None, what="the samples")
        time.sleep(rng.uniform(0.0, 3.0))
        _kill(proc)
        done.append((len(raw_rows(db, "samples")), verdicts()))
    assert done[-1][1] < 500, f"the kills should land midway (KILL_SEED={seed}: (samples, verdicts) {done})"
    resumed = evals("run", *args, "--db", str(db))
    assert resumed.returncode == 0, resumed.stderr
    assert f"{done[-1][0]} samples already stored, {500 - done[-1][0]} to generate" in resumed.stderr
    assert verdicts() == 500
    rows = raw_rows(db, "samples")
    assert len({r[:5] for r in rows}) == 500 and sorted(set(rows)) == sorted(raw_rows(tmp_path / "clean", "samples"))
    assert len(rows) == 500, "a resumed run generated a stored sample again"
    (a,), (b,) = results(tmp_path / "clean").values(), results(db).values()
    assert {k: a[k] for k in METRIC_KEYS if k != "cons@4"} == {k: b[k] for k in METRIC_KEYS if k != "cons@4"}


@pytest.mark.slow
def test_readers_during_a_writer_never_fail_and_see_the_count_grow(tmp_path):
    db = tmp_path / "db"
    proc = _start("run", "--model", "test/fake", "--backend", FAKE, "--benchmark", "math500", "--limit", "25",
                  "--samples", "4", "--db", str(db), env={"FAKE_DELAY": "0.02"})
    counts, errors = [], []
    while proc.poll() is None:
        try:
            counts.append(Store(db).query("SELECT count(*) AS n FROM samples")[0]["n"])
        except Exception as exc:  # noqa: BLE001 - any failure of a reader is the finding
            errors.append(repr(exc))
    _, err = proc.communicate()
    assert proc.returncode == 0, err[-2000:]
    assert not errors and len(counts) > 3 and counts == sorted(counts) and counts[-1] <= 100
    assert Store(db).query("SELECT count(*) AS n FROM samples")[0]["n"] == 100


# ---- one writer per run ----------------------------------------------------------------------------------

@pytest.mark.slow
def test_a_second_concurrent_writer_of_the_run_is_refused_unless_shards_are_disjoint(tmp_path):
    db = tmp_path / "db"
    args = ["run", "--model", "test/fake", "--backend", FAKE, "--benchmark", "math500", "--samples", "2", "--db",
            str(db)]
    first = _start(*args, "--limit", "30", env={"FAKE_DELAY": "0.5"})  # 30 s: the others start meanwhile
    _wait_for(lambda: list((db / "locks").glob("*.lock")), what="the first writer's lock")
    second = evals(*args, "--limit", "30")
    assert first.poll() is None, "the first writer should still be running"
    assert second.returncode == 1 and f"pid {first.pid} on {platform.node()}" in second.stderr, second.stderr
    assert "--shard 0/2 and --shard 1/2" in second.stderr
    assert evals(*args, "--limit", "30", "--shard", "1/2").returncode == 1  # overlaps the unsharded writer
    assert first.poll() is None
    _, err = first.communicate()
    assert first.returncode == 0, err[-2000:]
    assert not list((db / "locks").glob("*.lock")), "a finished writer leaves no lock"

    sharded = tmp_path / "sharded"
    shard_args = [a if a != str(db) else str(sharded) for a in args] + ["--limit", "30"]
    zero = _start(*shard_args, "--shard", "0/2", env={"FAKE_DELAY": "0.5"})
    _wait_for(lambda: list((sharded / "locks").glob("*.lock")), what="shard 0's lock")
    one = evals(*shard_args, "--shard", "1/2")
    assert one.returncode == 0 and zero.poll() is None, one.stderr  # ran beside shard 0
    _, err = zero.communicate()
    assert zero.returncode == 0, err[-2000:]
    assert len(raw_rows(sharded, "samples")) == 60


def _lock_file(directory: Path, holder: dict, shard="0of1") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"run.{shard}.lock"
    path.write_text(json.dumps({"shard": [0, 1], "started": time.time(), **holder}))
    return path


def _dead_pid() -> int:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    return gone.pid


@pytest.mark.parametrize("holder, age, taken_over", [
    ({"host": platform.node(), "pid": "dead"}, 0, True),            # killed on this host
    ({"host": platform.node(), "pid": os.getpid(), "pid_start": "1"}, 0, True),  # its pid reused by another process
    ({"host": platform.node(), "pid": os.getpid()}, 0, False),      # alive here (no start time recorded)
    ({"host": "elsewhere", "pid": 1}, 0, False),                    # another machine, heartbeat fresh
    ({"host": "elsewhere", "pid": 1}, STALE_AFTER_S + 60, True),    # another machine, heartbeat stopped
])
def test_a_stale_lock_is_taken_over_and_a_live_one_refused(tmp_path, holder, age, taken_over, capsys):
    if holder["pid"] == "dead":
        holder = {**holder, "pid": _dead_pid()}
    path = _lock_file(tmp_path / "locks", holder)
    os.utime(path, (time.time() - age,) * 2)
    lock = WriterLock(tmp_path / "locks", "run")
    if not taken_over:
        with pytest.raises(StoreBusy, match=f"pid {holder['pid']} on {holder['host']}"):
            lock.acquire()
        assert path.exists()
        return
    with lock:
        assert json.loads(path.read_text())["pid"] == os.getpid()
        assert "removed the stale lock" in capsys.readouterr().err
    assert not path.exists()


def test_a_killed_writers_lock_does_not_block_the_resume(tmp_path):
    db = tmp_path / "db"
    args = ["run", "--model", "test/fake", "--backend", FAKE, "--benchmark", "math500", "--limit", "20",
            "--samples", "2", "--db", str(db)]
    proc = _start(*args, env={"FAKE_DELAY": "0.1"})
    _wait_for(lambda: list((db / "locks").glob("*.lock")), what="the lock")
    _kill(proc)
    assert list((db / "locks").glob("*.lock")), "SIGKILL leaves the lock behind"
    resumed = evals(*args)
    assert resumed.returncode == 0 and "removed the stale lock" in resumed.stderr, resumed.stderr
    assert len(raw_rows(db, "samples")) == 40
