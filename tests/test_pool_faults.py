"""Fault injection on the verifier pool: workers killed or stopped from outside, idle or busy, cost
no verdict. Every item of a long batch disturbed by random SIGKILL / SIGTERM / SIGSTOP (left stopped,
or killed later) gets the verdict an undisturbed run gives; a pool whose idle workers all died goes on."""
import json
import os
import random
import signal
import threading
import time
from collections import Counter

import pytest

from evals.backends.replay import _completions
from evals.verifiers import VerifierPool
from tests.conftest import replay_file

SIGNALS = ("SIGKILL", "SIGTERM", "SIGSTOP", "SIGSTOP then SIGKILL")


_OTHERS: set[int] = set()  # workers alive when the test began: other pools' (the session's `pool` fixture)


@pytest.fixture(autouse=True)
def _spare_other_pools():
    """A test kills only the workers of the pools it makes, never those other tests left running."""
    _OTHERS.clear()
    _OTHERS.update(_all_worker_pids())
    yield


def worker_pids() -> list[int]:
    """The test's own verifier workers, idle, busy or starting (found through /proc, as an OOM killer would)."""
    return [pid for pid in _all_worker_pids() if pid not in _OTHERS]


def _all_worker_pids() -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                ppid = int(f.read().rpartition(b")")[2].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read()
        except (OSError, ValueError, IndexError):
            continue
        if ppid == os.getpid() and b"evals.verifiers.worker" in cmdline:
            pids.append(int(entry))
    return pids


def hit(pid: int, how: str) -> None:
    try:
        if how == "SIGSTOP then SIGKILL":
            os.kill(pid, signal.SIGSTOP)
            threading.Timer(0.3, lambda: _quiet_kill(pid, signal.SIGKILL)).start()
        else:
            os.kill(pid, getattr(signal, how))
    except ProcessLookupError:
        pass


def _quiet_kill(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def summary(verdicts):
    return [(v.correct, v.reason, v.extracted, v.normalized, v.method) for v in verdicts]


@pytest.mark.parametrize("how", SIGNALS)
def test_idle_workers_killed_or_stopped_between_batches_are_replaced(how):
    """The issue's failure: a worker that died idle went back to the queue, and every later batch raised."""
    items = [("math", f"</think>\\boxed{{{i}}}", str(i)) for i in range(6)]
    with VerifierPool(workers=2, timeout=5) as pool:
        assert all(v.correct for v in pool.verify_batch(items))
        victims = worker_pids()
        assert len(victims) == 2
        for pid in victims:
            hit(pid, how)
        time.sleep(0.5)
        for _ in range(3):  # not only the first batch after the deaths: the pool stays whole
            verdicts = pool.verify_batch(items)
            assert [v.correct for v in verdicts] == [True] * 6, [v.to_dict() for v in verdicts]
        assert not set(victims) & set(worker_pids())  # the lost ones were reaped, not kept


def test_a_worker_killed_while_starting_is_started_again():
    with VerifierPool(workers=1, timeout=5) as pool:
        pool.verify("math", "\\boxed{1}", "1")
        hit(worker_pids()[0], "SIGKILL")
        time.sleep(0.2)
        # the idle check replaces it; kill the replacement too, mid-import
        threading.Timer(0.3, lambda: [hit(p, "SIGKILL") for p in worker_pids()]).start()
        assert pool.verify("math", "\\boxed{2}", "2").correct


def test_an_item_that_kills_its_worker_every_time_is_a_verifier_error_after_three_runs(pool):
    v = pool.verify("tests.pool_helpers:crash", "x", None)
    assert v.reason == "verifier_error" and "worker died 3 times" in v.details["error"]
    assert "exit code 3" in v.details["error"]


def _long_batch():
    data = json.loads(replay_file("tldr7b_math500_n1.json").read_text(encoding="utf-8"))
    math = [("math", _completions(row)[0]["text"], row["answer"]) for row in list(data.values())[:150]]
    sleeps = [("tests.pool_helpers:busy_sleep", f"s{i}", 0.15) for i in range(100)]
    items = []
    for i, item in enumerate(math):  # interleaved, so the workers are busy most of the time
        items.append(item)
        if i % 3 == 0 and sleeps:
            items.append(sleeps.pop())
    return items + sleeps


@pytest.mark.slow
def test_random_kills_during_a_long_batch_change_no_verdict(tmp_path, monkeypatch):
    monkeypatch.setenv("POOL_BUSY_DIR", str(tmp_path))
    items = _long_batch()
    with VerifierPool(workers=2, timeout=5) as pool:
        undisturbed = summary(pool.verify_batch(items))
    rng = random.Random(19)
    kills: list[tuple[str, bool]] = []
    hits: Counter[str | None] = Counter()
    stop = threading.Event()

    def busy_workers() -> dict[int, str]:
        found = {}
        for marker in tmp_path.iterdir():
            try:
                found[int(marker.name)] = marker.read_text()
            except (OSError, ValueError):
                pass  # finished meanwhile
        return {pid: item for pid, item in found.items() if pid in worker_pids()}

    def victim(want_busy: bool) -> tuple[int, str | None] | None:
        """Every other kill waits (up to 3 s) for a worker in the middle of an item; on a loaded
        machine most workers are otherwise starting up, and busy deaths would go untested."""
        deadline = time.monotonic() + (3 if want_busy else 0)
        while not stop.is_set():
            working = busy_workers()
            busy = {pid: item for pid, item in working.items() if hits[item] < 2}
            if busy and want_busy:
                pid = rng.choice(sorted(busy))
                return pid, busy[pid]
            if time.monotonic() >= deadline:  # any worker: idle, starting, or busy with a math item
                pids = [pid for pid in worker_pids() if pid not in working or pid in busy]
                pid = rng.choice(pids) if pids else None
                return (pid, working.get(pid)) if pid else None
            time.sleep(0.02)
        return None

    def killer():
        while not stop.wait(rng.uniform(0.3, 1.0)) and len(kills) < 14:
            chosen = victim(want_busy=len(kills) % 2 == 0)
            if chosen is None:
                continue
            pid, item = chosen
            if item is not None:
                hits[item] += 1  # the pool absorbs two losses per item (MAX_RUNS = 3); a third is its fault
            how = SIGNALS[len(kills) % len(SIGNALS)]
            hit(pid, how)
            kills.append((how, item is not None))

    with VerifierPool(workers=2, timeout=5) as pool:
        thread = threading.Thread(target=killer)
        thread.start()
        try:
            disturbed = summary(pool.verify_batch(items))
        finally:
            stop.set()
            thread.join()
    assert len(kills) >= 8, kills  # the batch outlived most of the kill schedule
    assert sum(busy for _, busy in kills) >= 4, kills  # half the kills wait for a worker in the middle of an item
    diff = [(i, a, b) for i, (a, b) in enumerate(zip(undisturbed, disturbed)) if a != b]
    assert not diff, diff[:5]


def test_curation_text_checks_survive_a_killed_executor_worker():
    """curation verify's ProcessPoolExecutor: one worker killed from outside broke the executor, and
    every later chunk raised BrokenProcessPool. Its chunks now run again in a fresh executor."""
    from curation.verify import Verifier, VerifyOptions

    tasks = [(f"<think>step {i}</think> The answer is \\boxed{{{i}}}.", "en", False, True, "stop") for i in range(8)]
    verifier = Verifier(VerifyOptions(workers=1))
    try:
        undisturbed = verifier.result(verifier.submit(tasks, [{}] * len(tasks)))
        first = verifier.executor
        for process in list(first._processes.values()):  # idle between chunks, as the OOM killer finds it
            os.kill(process.pid, signal.SIGKILL)
        time.sleep(0.5)
        again = verifier.result(verifier.submit(tasks, [{}] * len(tasks)))
        assert verifier.executor is not first  # replaced
        assert again == undisturbed
        busy = verifier.submit(tasks, [{}] * len(tasks))
        for process in list(verifier.executor._processes.values()):  # busy: the chunk it holds is lost
            os.kill(process.pid, signal.SIGKILL)
        assert verifier.result(busy) == undisturbed  # run again in a fresh executor
        assert verifier.result(verifier.submit(tasks[:2], [{}] * 2)) == undisturbed[:2]  # and it stays usable
    finally:
        verifier.close()
