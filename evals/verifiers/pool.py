"""Bounded verification: a pool of worker processes with a hard wall-clock limit.

math-verify bounds its calls with SIGALRM, which works only on the main thread
and cannot interrupt C-level big-integer work (a power tower hangs past its
alarm). Here every check runs in a worker process; one that overruns its limit
is killed (SIGKILL) and replaced, its item is reported as ``timeout``, and the
rest of the batch goes on. This works from any thread, inside async trainers,
and across cores. Workers also run under a memory rlimit, so ``(2^{2^{30}})!``
fails inside its worker instead of swapping the host. A worker lost to the
outside world (the OOM killer, a stray SIGKILL/SIGTERM/SIGSTOP), idle or busy,
is replaced and costs no verdict: its item runs again on a fresh worker (see
``VerifierPool`` for the exact policy).

    with VerifierPool(workers=2, timeout=5) as pool:
        verdicts = pool.verify_batch([("math", completion, "\\frac{1}{2}"), ...])
"""
from __future__ import annotations

import atexit
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from .registry import kind_of
from .verdict import Verdict, failure

DEFAULT_TIMEOUT_S = 5.0
DEFAULT_MEMORY_MB = 3072
_STARTUP_LIMIT_S = 120.0  # a worker that has not imported sympy by then is broken
MAX_RUNS = 3  # an item whose worker died under it runs again on a fresh worker, at most 3 runs in all
Item = tuple[str, str, Any] | tuple[str, str, Any, dict[str, Any]]
Task = tuple[int, str, str, Any, dict[str, Any]]  # (index, verifier target, completion, reference, options)


class _Worker:
    """One verifier process. A fresh interpreter (not fork, not multiprocessing's
    spawn) so that callers need no ``__main__`` guard and a threaded parent such
    as a trainer is never forked. It says "ready" once its imports are done."""

    def __init__(self, memory_mb: int) -> None:
        ours, theirs = socket.socketpair()
        root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "evals.verifiers.worker", str(theirs.fileno()), str(memory_mb)],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            env=env,
        )
        theirs.close()
        self.conn = Connection(ours.detach())
        self.ready = False
        self.started = time.monotonic()

    def usable(self) -> bool:
        """Alive and not stopped: a worker killed or stopped while idle (OOM killer, a stray signal)
        must not be handed work."""
        return self.proc.poll() is None and not self.stopped()

    def stopped(self) -> bool:
        """SIGSTOPped (or traced): it will never answer, and its item is not to blame."""
        try:
            with open(f"/proc/{self.proc.pid}/stat", "rb") as f:
                return f.read().rpartition(b")")[2].split()[0] in (b"T", b"t")
        except (OSError, IndexError):  # gone, or no /proc: poll() tells
            return False

    def kill(self) -> None:
        self.proc.kill()  # SIGKILL ends a stopped process too
        self.proc.wait()
        self.conn.close()


class _Batch:
    """The state of one verify_batch call: its workers, what runs where, what is left."""

    def __init__(self, tasks: list[Task], workers: list[_Worker], limit_s: float) -> None:
        self.tasks, self.workers, self.limit_s = tasks, workers, limit_s
        self.pending: deque[Task] = deque(tasks)
        self.running: dict[int, tuple[Task, float]] = {}  # worker slot -> (task, deadline)
        self.results: list[Verdict | None] = [None] * len(tasks)
        self.deaths: Counter[int] = Counter()  # task index -> workers lost while running it
        self.done = 0


class VerifierPool:
    """Thread-safe pool of verifier processes; every call is bounded by ``timeout`` seconds.

    A worker that dies or is stopped while idle is replaced before it gets work. One that dies while
    checking an item (a signal, the OOM killer) costs nothing either: the item runs again on a fresh
    worker, up to ``MAX_RUNS`` (3) runs in all, so two unlucky kills in a row are still absorbed; an
    item that loses its worker every time (it crashes the interpreter itself) gets ``verifier_error``
    ("worker died 3 times on this item (last: exit code N)"), and the batch goes on. A worker that overruns the limit is the item's
    fault (``timeout``, not retried), unless the worker was stopped by a signal."""

    def __init__(self, workers: int | None = None, timeout: float = DEFAULT_TIMEOUT_S, memory_mb: int = DEFAULT_MEMORY_MB):
        self.timeout, self.memory_mb = timeout, memory_mb
        self.size = workers or os.cpu_count() or 1
        self._idle: queue.Queue[_Worker] = queue.Queue()
        for _ in range(self.size):
            self._idle.put(_Worker(memory_mb))
        self._closed = False

    def _replace(self, worker: _Worker) -> _Worker:
        worker.kill()
        return _Worker(self.memory_mb)

    def _lost(self, batch: _Batch, slot: int, cause: str) -> None:
        """The worker in ``slot`` died or stopped: replace it; its task, if any, runs again or fails."""
        worker = batch.workers[slot]
        batch.workers[slot] = self._replace(worker)
        if slot not in batch.running:
            return
        task, _ = batch.running.pop(slot)
        batch.deaths[task[0]] += 1
        if batch.deaths[task[0]] < MAX_RUNS:
            batch.pending.appendleft(task)
            return
        batch.results[task[0]] = failure("verifier_error", details={
            "error": f"worker died {batch.deaths[task[0]]} times on this item (last: {cause})"})
        batch.done += 1

    def _receive(self, batch: _Batch, slot: int) -> None:
        """Read one message from a worker: "ready", or the verdict of its task."""
        worker = batch.workers[slot]
        try:
            msg = worker.conn.recv()
        except (EOFError, OSError):
            code = worker.proc.wait()
            if not worker.ready and code >= 0:  # it exited by itself before its imports were done
                raise RuntimeError(
                    f"a verifier worker failed to start (exit code {code}); "
                    f"run `{sys.executable} -c 'import evals.verifiers.math_verifier'` to see why"
                ) from None
            self._lost(batch, slot, f"exit code {code}")  # killed by a signal while starting: start another
            return
        if not worker.ready:
            worker.ready = msg == "ready"
            return
        task, _ = batch.running.pop(slot)
        batch.results[task[0]], retire = msg
        batch.done += 1
        if retire:  # it left a computation running (an abandoned proof): start a clean one
            batch.workers[slot] = self._replace(worker)

    def _dispatch(self, batch: _Batch) -> None:
        """Hand pending tasks to ready, free workers; a worker found dead on sending is replaced."""
        for slot, worker in enumerate(batch.workers):
            if not (worker.ready and slot not in batch.running and batch.pending):
                continue
            # killed since the last look (a waitpid, cheap per task); one stopped mid-batch is found by
            # _expire at its task's deadline, and checkout already reads /proc for workers that sat idle
            if worker.proc.poll() is not None:
                batch.workers[slot] = self._replace(worker)
                continue
            task = batch.pending.popleft()
            try:
                worker.conn.send(task[1:])
            except OSError:  # died since the last look: the task was never started
                batch.pending.appendleft(task)
                batch.workers[slot] = self._replace(worker)
                continue
            batch.running[slot] = (task, time.monotonic() + batch.limit_s)

    def _expire(self, batch: _Batch) -> None:
        """Tasks past their deadline: a timeout, unless a signal stopped the worker (then it is lost)."""
        now = time.monotonic()
        for slot, (task, deadline) in list(batch.running.items()):
            if now < deadline:
                continue
            if batch.workers[slot].stopped():
                self._lost(batch, slot, "stopped by a signal")
                continue
            del batch.running[slot]
            batch.results[task[0]] = failure("timeout", details={"limit_s": batch.limit_s})
            batch.workers[slot] = self._replace(batch.workers[slot])
            batch.done += 1
        for slot, worker in enumerate(batch.workers):
            if worker.ready:
                continue
            if worker.stopped():
                self._lost(batch, slot, "stopped by a signal while starting")
            elif now - worker.started > _STARTUP_LIMIT_S:
                raise RuntimeError(f"a verifier worker did not start within {_STARTUP_LIMIT_S:.0f} s; "
                                   f"run `{sys.executable} -c 'import evals.verifiers.math_verifier'` to see why")

    def _checkout(self, want: int) -> list[_Worker]:
        workers = [self._idle.get()]  # block for one, take any others that are free
        while len(workers) < want:
            try:
                workers.append(self._idle.get_nowait())
            except queue.Empty:
                break
        # a worker may have been killed or stopped while it sat idle: never hand it work
        return [w if w.usable() else self._replace(w) for w in workers]

    def verify(self, kind: str, completion: str, reference: Any, **opts: Any) -> Verdict:
        return self.verify_batch([(kind, completion, reference, opts)])[0]

    def verify_batch(
        self, items: Sequence[Item], *, progress: Callable[[int, int], None] | None = None,
        timeout: float | None = None,
    ) -> list[Verdict]:
        """Verify (kind, completion, reference[, options]) items; results keep the input order.
        ``timeout`` overrides the pool's limit per item for this batch (code judging needs more)."""
        if self._closed:
            raise RuntimeError("VerifierPool is closed")
        tasks = [_task(i, item) for i, item in enumerate(items)]
        if not tasks:
            return []
        batch = _Batch(tasks, self._checkout(len(tasks)), timeout or self.timeout)
        try:
            while batch.done < len(tasks):
                self._dispatch(batch)
                workers = batch.workers
                watch = {workers[s].conn: s for s in range(len(workers)) if s in batch.running or not workers[s].ready}
                deadlines = [deadline for _, deadline in batch.running.values()]
                # wake at the next deadline, and at least every second while workers start (one may be stopped)
                limit = max(0.0, min(deadlines) - time.monotonic()) if deadlines else _STARTUP_LIMIT_S
                if not all(w.ready for w in workers):
                    limit = min(limit, 1.0)
                for conn in wait(list(watch), timeout=limit):
                    self._receive(batch, watch[conn])  # type: ignore[index]
                self._expire(batch)
                if progress:
                    progress(batch.done, len(tasks))
        finally:
            for slot in batch.running:  # interrupted mid-batch: those workers hold stale tasks
                batch.workers[slot] = self._replace(batch.workers[slot])
            for worker in batch.workers:
                self._idle.put(worker)
        return batch.results  # type: ignore[return-value]

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                return

    def __enter__(self) -> "VerifierPool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _task(index: int, item: Item) -> Task:
    if len(item) not in (3, 4):
        raise ValueError(f"item {index}: expected (kind, completion, reference[, options]), got {len(item)} fields")
    kind, completion, reference = item[0], item[1], item[2]
    opts = dict(item[3]) if len(item) == 4 else {}  # type: ignore[misc]
    try:  # the worker gets the record's target, so a kind registered after it started works too
        target = kind_of(kind).target
    except ValueError as exc:
        raise ValueError(f"item {index}: {exc}") from None
    if not isinstance(completion, str):
        raise TypeError(f"item {index}: completion must be str, got {type(completion).__name__}")
    return index, target, completion, reference, opts


_default: VerifierPool | None = None
_default_lock = threading.Lock()


def default_pool() -> VerifierPool:
    """The process-wide pool, started on first use and closed at exit."""
    global _default
    with _default_lock:
        if _default is None:
            _default = VerifierPool()
            atexit.register(_default.close)
        return _default


def verify(kind: str, completion: str, reference: Any, **opts: Any) -> Verdict:
    """One bounded verification on the default pool."""
    return default_pool().verify(kind, completion, reference, **opts)


def verify_batch(items: Iterable[Item], **kwargs: Any) -> list[Verdict]:
    """Many bounded verifications across cores on the default pool."""
    return default_pool().verify_batch(list(items), **kwargs)
