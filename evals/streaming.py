"""Completions to the store as they finish, on a clock: a killed job loses at most the last second.

The backend's iterator runs in the calling thread (an engine may need the main thread, and Ctrl-C
must reach it); a writer thread writes what has arrived once its oldest completion is FLUSH_SECONDS
old (or FLUSH_ROWS have piled up), even while the backend is busy producing the next batch (the hf
backend yields a batch every minute or so); a third thread verifies written samples and writes
their verdicts as each batch is judged, so slow verification (code judging) never holds samples back.
"""
from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from .progress import Progress

FLUSH_ROWS, FLUSH_SECONDS = 256, 1.0


class _Writer:
    """Buffers items from the caller's thread; writes them from its own; re-raises its failure in the caller."""

    def __init__(self, flush: Callable[[list], Any], then: Callable[[Any], None] | None) -> None:
        self.flush, self.then = flush, then
        self.buffer: list = []
        self.oldest = 0.0
        self.closing = self.abandon = False
        self.error: BaseException | None = None
        self.cond = threading.Condition()
        self.written: queue.Queue = queue.Queue()  # what `then` still has to do; None ends it
        self.threads = [threading.Thread(target=self._write, daemon=True, name="store-writer")]
        if then is not None:
            self.threads.append(threading.Thread(target=self._then, daemon=True, name="store-verifier"))
        for thread in self.threads:
            thread.start()

    def add(self, item: Any) -> None:
        with self.cond:
            if self.error is not None:
                raise self.error
            self.buffer.append(item)
            if len(self.buffer) == 1:  # the writer sleeps until something arrives: give it a deadline
                self.oldest = time.monotonic()
                self.cond.notify()
            elif len(self.buffer) >= FLUSH_ROWS:
                self.cond.notify()

    def _due(self) -> float | None:
        """Seconds until the buffer is due (0: now), None: nothing to write. Called holding the lock."""
        if self.closing or len(self.buffer) >= FLUSH_ROWS:
            return 0.0
        return max(0.0, self.oldest + FLUSH_SECONDS - time.monotonic()) if self.buffer else None

    def _write(self) -> None:
        while True:
            with self.cond:
                while (wait := self._due()) != 0.0:
                    self.cond.wait(wait)
                batch, self.buffer, closing = self.buffer, [], self.closing
            try:
                if batch:
                    done = self.flush(batch)
                    if self.then is not None:
                        self.written.put(done)
            except BaseException as exc:
                self.error = exc
                closing = True
            if closing:
                self.written.put(None)
                return

    def _then(self) -> None:
        while (done := self.written.get()) is not None:
            if self.error is not None or self.abandon:
                continue  # failing: what was written without verdicts is verified on resume
            try:
                self.then(done)
            except BaseException as exc:
                self.error = exc

    def close(self, wait_for_then: bool) -> None:
        """Write what is buffered; with `wait_for_then`, also let `then` finish everything written."""
        with self.cond:
            self.closing = True
            self.cond.notify()
        self.abandon = not wait_for_then  # `then` starts no further batch
        self.threads[0].join()
        if wait_for_then and len(self.threads) > 1:
            self.threads[1].join()


def stream_to_store(completions: Iterator[Any], total: int, desc: str, flush: Callable[[list], Any],
                    postfix: Callable[[], dict[str, Any]] | None = None,
                    then: Callable[[Any], None] | None = None, backend: Any = None) -> None:
    """Hand completions to `flush` (which writes them) within FLUSH_SECONDS of their arrival, or every
    FLUSH_ROWS, from a writer thread; then pass what `flush` returned to `then` (verify, write verdicts)
    in a thread of its own. On Ctrl-C or a backend error what arrived is still written (its verdicts are
    left to the resume). `postfix`: extras for the progress bar (a cluster's nodes alive). A `backend` that
    counts its tokens as it generates (`on_tokens`, the hf backend) lets the bar show tokens/s between
    completions."""
    writer = _Writer(flush, then)
    progress = Progress(total, desc)
    counts_tokens = backend is not None and hasattr(backend, "on_tokens")
    if counts_tokens:
        backend.on_tokens = progress.tokens
    last_postfix = time.monotonic()
    finished = False
    try:
        for completion in completions:
            writer.add(completion)
            progress.done(completion)
            if postfix and time.monotonic() - last_postfix >= FLUSH_SECONDS:
                progress.extra = postfix()
                last_postfix = time.monotonic()
        finished = True
    finally:
        if counts_tokens:
            backend.on_tokens = None
        writer.close(wait_for_then=finished)
        progress.close()
    if writer.error is not None:
        raise writer.error
