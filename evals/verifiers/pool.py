"""Bounded verification: a pool of worker processes with a hard wall-clock limit.

math-verify bounds its calls with SIGALRM, which works only on the main thread
and cannot interrupt C-level big-integer work (a power tower hangs past its
alarm). Here every check runs in a worker process; one that overruns its limit
is killed (SIGKILL) and replaced, its item is reported as ``timeout``, and the
rest of the batch goes on. This works from any thread, inside async trainers,
and across cores. Workers also run under a memory rlimit, so ``(2^{2^{30}})!``
fails inside its worker instead of swapping the host.

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
from collections.abc import Callable, Iterable, Sequence
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from .registry import kind_of
from .verdict import Verdict, failure

DEFAULT_TIMEOUT_S = 5.0
DEFAULT_MEMORY_MB = 3072
_STARTUP_LIMIT_S = 120.0  # a worker that has not imported sympy by then is broken
Item = tuple[str, str, Any] | tuple[str, str, Any, dict[str, Any]]


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

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self.conn.close()


class VerifierPool:
    """Thread-safe pool of verifier processes; every call is bounded by ``timeout`` seconds."""

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

    def _receive(self, workers: list[_Worker], slot: int, running: dict, results: list) -> int:
        """Read one message from a worker; returns how many tasks it finished (0 or 1)."""
        worker = workers[slot]
        try:
            msg = worker.conn.recv()
        except (EOFError, OSError):
            if not worker.ready:
                code = worker.proc.wait()
                raise RuntimeError(
                    f"a verifier worker failed to start (exit code {code}); "
                    f"run `{sys.executable} -c 'import evals.verifiers.math_verifier'` to see why"
                ) from None
            workers[slot] = self._replace(worker)
            if slot not in running:
                return 0
            index, _ = running.pop(slot)
            results[index] = failure("verifier_error", details={"error": f"worker died (exit code {worker.proc.returncode})"})
            return 1
        if not worker.ready:
            worker.ready = msg == "ready"
            return 0
        index, _ = running.pop(slot)
        results[index], retire = msg
        if retire:  # it left a computation running (an abandoned proof): start a clean one
            workers[slot] = self._replace(worker)
        return 1

    def _checkout(self, want: int) -> list[_Worker]:
        workers = [self._idle.get()]  # block for one, take any others that are free
        while len(workers) < want:
            try:
                workers.append(self._idle.get_nowait())
            except queue.Empty:
                break
        return workers

    def verify(self, kind: str, completion: str, reference: Any, **opts: Any) -> Verdict:
        return self.verify_batch([(kind, completion, reference, opts)])[0]

    def verify_batch(
        self, items: Sequence[Item], *, progress: Callable[[int, int], None] | None = None,
        timeout: float | None = None,
    ) -> list[Verdict]:
        """Verify (kind, completion, reference[, options]) items; results keep the input order.
        ``timeout`` overrides the pool's limit per item for this batch (code judging needs more)."""
        limit_s = timeout or self.timeout
        if self._closed:
            raise RuntimeError("VerifierPool is closed")
        tasks = [_task(i, item) for i, item in enumerate(items)]
        results: list[Verdict | None] = [None] * len(tasks)
        if not tasks:
            return []
        workers = self._checkout(len(tasks))
        running: dict[int, tuple[int, float]] = {}  # worker slot -> (task index, deadline)
        todo, done = iter(tasks), 0
        try:
            while done < len(tasks):
                for slot, worker in enumerate(workers):
                    if worker.ready and slot not in running and (task := next(todo, None)):
                        worker.conn.send(task[1:])
                        running[slot] = (task[0], time.monotonic() + limit_s)
                watch = {workers[s].conn: s for s in range(len(workers)) if s in running or not workers[s].ready}
                deadlines = [deadline for _, deadline in running.values()]
                limit = max(0.0, min(deadlines) - time.monotonic()) if deadlines else _STARTUP_LIMIT_S
                for conn in wait(list(watch), timeout=limit):
                    slot = watch[conn]  # type: ignore[index]
                    done += self._receive(workers, slot, running, results)
                now = time.monotonic()
                for slot, (index, deadline) in list(running.items()):
                    if now >= deadline:
                        del running[slot]
                        results[index] = failure("timeout", details={"limit_s": limit_s})
                        workers[slot] = self._replace(workers[slot])
                        done += 1
                if progress:
                    progress(done, len(tasks))
        finally:
            for slot in running:  # interrupted mid-batch: those workers hold stale tasks
                workers[slot] = self._replace(workers[slot])
            for worker in workers:
                self._idle.put(worker)
        return results  # type: ignore[return-value]

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


def _task(index: int, item: Item) -> tuple[int, str, str, Any, dict[str, Any]]:
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
