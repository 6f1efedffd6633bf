"""`python -m curation verify --ray`: the text-signal batches as Ray tasks spread over the cluster.

Imported only under --ray. The answer verdicts use evals' RayVerifierPool (verifier actors); the text
signals (`text_checks_batch`, pure functions of their inputs) are stateless, so they are plain Ray tasks:
Ray reruns a task whose worker or node died (MAX_ATTEMPTS in all), and the driver, which alone reads
and writes the curation database, gets each batch's result exactly once through a Future as it did
from the local process pool.
"""
from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

import ray

from evals.distributed import LOST_ERRORS, MAX_ATTEMPTS, UnitFailed, connect

__all__ = ["SHARE", "RayTextExecutor", "connect"]

# The verifier actors and the text-signal tasks each take half a CPU, so both fit on every CPU at once
# (whole CPUs would let the actors hold them all and the tasks never start); locally the verifier pool
# and the text-signal pool likewise each have one process per core.
SHARE = 0.5


class RayTextExecutor:
    """The ProcessPoolExecutor subset Verifier uses (submit, shutdown), over Ray tasks of SHARE CPU each."""

    def __init__(self) -> None:
        self.refs: set[Any] = set()  # in flight only: a held ref would pin its result in the object store
        self.tasks: dict[Callable[..., Any], Any] = {}  # one remote function per fn: exported to the cluster once

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        if fn not in self.tasks:
            self.tasks[fn] = ray.remote(num_cpus=SHARE, max_retries=MAX_ATTEMPTS - 1, retry_exceptions=False)(fn) \
                .options(scheduling_strategy="SPREAD")
        ref = self.tasks[fn].remote(*args)
        self.refs.add(ref)
        out: Future = Future()

        def settle(done: Future) -> None:
            self.refs.discard(ref)
            _settle(out, done, len(args[0]) if args else 0)

        ref.future().add_done_callback(settle)
        return out

    def shutdown(self, cancel_futures: bool = False) -> None:
        if cancel_futures:
            for ref in list(self.refs):
                ray.cancel(ref, force=True)
        self.refs = set()


def _settle(out: Future, done: Future, size: int) -> None:
    """The result, or an error that says a batch was lost to dead workers after every attempt."""
    exc = done.exception()
    if exc is None:
        out.set_result(done.result())
    elif isinstance(exc, LOST_ERRORS):
        out.set_exception(UnitFailed(f"--ray: text signals of a batch of {size} samples lost {MAX_ATTEMPTS} times "
                                     f"(last: {type(exc).__name__}); giving up"))
    else:
        out.set_exception(exc)
