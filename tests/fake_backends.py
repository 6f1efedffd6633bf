"""Offline engines for tests: deterministic, so an interrupted run can be compared with a clean one."""
from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator, Sequence
from typing import Any

from evals.backends import Completion, Request, Sampling
from evals.benchmarks import BENCHMARKS


class Deterministic:
    """Answers each sample from a hash of its key: right about half the time, in varied spellings.

    FAKE_DELAY (seconds per sample) slows it down so a test can kill it midway.
    """

    name = "fake"

    def __init__(self, model: str, **_: Any) -> None:
        self.answers = {p.id: str(p.reference) for b in ("math500", "aime24") for p in BENCHMARKS[b].load({})}
        self.delay = float(os.environ.get("FAKE_DELAY", "0"))

    def describe(self) -> dict[str, Any]:
        return {"engine": "fake-deterministic"}

    def generate(self, requests: Sequence[Request], sampling: Sampling) -> Iterator[Completion]:
        for r in requests:
            time.sleep(self.delay)
            roll = hashlib.sha256(f"{r.prompt_hash}:{r.sample_index}".encode()).digest()[0]
            if roll < 16:
                text, finish = "<think>I keep thinking", "length"
            elif roll < 140:
                answer = self.answers.get(r.problem_id, "42")  # curation's prompts: not a benchmark's
                text, finish = f"<think>easy</think>The answer is $\\boxed{{{answer}}}$.", "stop"
            else:
                text, finish = f"<think>hmm</think>So the answer is $\\boxed{{{roll % 7}}}$.", "stop"
            yield Completion(r, text, None, finish, 10, 5 + roll, None)

    def close(self) -> None:
        pass


class Slow(Deterministic):
    """Deterministic at SLOW_DELAY seconds per sample (default 0.1), wherever it runs (a Ray actor
    does not see the test's FAKE_DELAY): slow enough to remove a node or kill the driver midway."""

    def __init__(self, model: str, **options: Any) -> None:
        super().__init__(model, **options)
        self.delay = float(os.environ.get("SLOW_DELAY", "0.1"))


class DiesOnFirstUnit(Deterministic):
    """Deterministic, but while the file DIES_ON_FILE exists the process dies (as a crashed engine or a
    lost node would) whenever it is given sample 0 of the first math500 problem: a unit lost every time."""

    def generate(self, requests: Sequence[Request], sampling: Sampling) -> Iterator[Completion]:
        marker = os.environ.get("DIES_ON_FILE")
        first = BENCHMARKS["math500"].load({})[0].id
        if marker and os.path.exists(marker) and any(r.problem_id == first and r.sample_index == 0 for r in requests):
            os._exit(1)
        yield from super().generate(requests, sampling)


class Stalling(Deterministic):
    """Deterministic, but stalls as a slow engine does between batches: yields one completion, waits
    STALL_GAP seconds (default 3) or, if STALL_GO names a file, until that file exists, yields a second,
    then hangs. Before each yield it appends "<count> <time.time()>" to the file STALL_LOG, so a test
    knows when a completion reached the runner."""

    def generate(self, requests: Sequence[Request], sampling: Sampling) -> Iterator[Completion]:
        log = os.environ.get("STALL_LOG")
        for count, completion in enumerate(super().generate(requests, sampling), 1):
            if count > 2:
                time.sleep(3600)
            if count == 2:
                go = os.environ.get("STALL_GO")
                time.sleep(0 if go else float(os.environ.get("STALL_GAP", "3")))
                while go and not os.path.exists(go):
                    time.sleep(0.05)
            if log:
                with open(log, "a") as f:
                    f.write(f"{count} {time.time()}\n")
            yield completion
