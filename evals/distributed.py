"""`python -m evals run --ray [ADDRESS|auto]`: generation and verification on a Ray cluster.

Imported only under --ray (Ray is an extra: `pip install 'r1-evals[ray]'`). The driver holds the
work: (problem, sample index) units in small chunks. Each engine actor (one per model replica) holds up
to PIPELINE chunks (the next waits at the actor, so it never idles on the driver) and gets another as
each finishes; its completions come back to the driver, which writes the one append-only store as a
local run does (one writer, no merge step). An actor or node that dies costs only the chunks it held:
they go back to the queue for another actor, at most MAX_ATTEMPTS times. Verification is
the same queue over verifier actors, each wrapping a local VerifierPool of one process (so every check
keeps its hard time limit). Units carry their derived seeds, so a chunk redone elsewhere gives the same
completions wherever the engine is deterministic per sample (replay, vLLM; hf seeds per batch).
"""
from __future__ import annotations

import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import ray
from ray.exceptions import ActorDiedError, ActorUnavailableError, NodeDiedError, RayActorError, WorkerCrashedError

from .backends import Completion, Request, Sampling, open_backend
from .errors import R1EvalsError, SetupError
from .verifiers import Verdict, VerifierPool

GENERATE_CHUNK = 8  # units per engine call: small, so a dead replica costs little and work balances
VERIFY_CHUNK = 16  # items per verifier actor call until the items' cost is known, and the smallest chunk
VERIFY_CALL_S = 0.25  # then chunks of about this much work: a Ray call's fixed cost (~ms) stays ~1% of it
PIPELINE = 2  # chunks in flight per actor: the next waits at the actor while the driver handles a result
MAX_ATTEMPTS = 3  # a chunk lost this many times to dead actors or nodes stops the run, naming its units
# the errors that mean an actor, worker or node died (the work itself may be fine: redo it elsewhere)
LOST_ERRORS = (RayActorError, ActorDiedError, ActorUnavailableError, NodeDiedError, WorkerCrashedError)


class UnitFailed(R1EvalsError):
    """A chunk of work lost to dead actors MAX_ATTEMPTS times (or no actor left to run it): the CLIs print
    the message (naming the units) and exit 1; what finished before is stored, and the same command resumes."""


def connect(address: str) -> None:
    """`auto`: the cluster this machine belongs to (`ray start`), else a new local one; else HOST:PORT."""
    if ray.is_initialized():
        return
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    # the workers import evals (and module:Class backends) from the driver's checkout when it is on their disk
    path = os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))
    try:
        ray.init(address=None if address == "auto" else address, log_to_driver=False,
                 runtime_env={"env_vars": {"PYTHONPATH": path}})
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise SetupError(f"--ray {address}: cannot reach a Ray cluster ({exc}); start one with `ray start --head` "
                         "or pass --ray auto for a local one") from exc


def nodes_alive() -> int:
    return sum(1 for n in ray.nodes() if n["Alive"])


def describe_cluster() -> dict[str, Any]:
    """What the run manifest records under `invocations`: Ray's version and each live node's resources."""
    nodes = [{"node_ip": n["NodeManagerAddress"], "cpus": n["Resources"].get("CPU", 0),
              "gpus": n["Resources"].get("GPU", 0)} for n in ray.nodes() if n["Alive"]]
    return {"ray_version": ray.__version__, "nodes": nodes, "cpus": sum(n["cpus"] for n in nodes),
            "gpus": sum(n["gpus"] for n in nodes)}


class _Engine:
    """One model replica: a backend opened on the actor's node."""

    def __init__(self, name: str, weights: str, options: dict[str, Any]) -> None:
        self.backend = open_backend(name, weights, **options)

    def describe(self) -> dict[str, Any]:
        return {**self.backend.describe(), "node_ip": ray.util.get_node_ip_address()}

    def generate(self, requests: Sequence[Request], sampling: Sampling) -> list[Completion]:
        return list(self.backend.generate(requests, sampling))


class _Verifier:
    """A one-process VerifierPool on the actor's node: the hard time limit holds there too."""

    def __init__(self, timeout: float) -> None:
        self.pool = VerifierPool(workers=1, timeout=timeout)
        self.pool.verify_batch([("math", "\\boxed{1}", "1")])  # wait for its worker: start-up is not an item's cost

    def verify(self, items: list, timeout: float | None) -> tuple[list[Verdict], float]:
        """The verdicts, and the seconds they took here (the driver sizes later chunks from it)."""
        started = time.perf_counter()
        verdicts = self.pool.verify_batch(items, timeout=timeout)
        return verdicts, time.perf_counter() - started


def start_engines(name: str, weights: str, options: dict[str, Any]) -> list[Any]:
    """One engine actor per replica: vLLM takes tensor_parallel_size GPUs per replica and as many replicas
    as the cluster's GPUs hold; CPU engines (hf, replay, custom) one replica per cluster CPU."""
    cluster = describe_cluster()
    if name == "vllm":
        tp = int((options.get("engine_args") or {}).get("tensor_parallel_size", 1))
        count, resources = int(cluster["gpus"] // tp), {"num_gpus": tp, "num_cpus": 1}
    else:
        count, resources = int(cluster["cpus"]), {"num_cpus": 1}
    if count < 1:
        raise SetupError(f"--ray: the cluster ({cluster['nodes']}) has no room for one {name} replica ({resources})")
    actor = ray.remote(**resources)(_Engine).options(scheduling_strategy="SPREAD", max_restarts=0)
    engines = [actor.remote(name, weights, options) for _ in range(count)]
    ray.get([e.__ray_ready__.remote() for e in engines])
    return engines


def dispatch(actors: list[Any], chunks: Iterable[list], call: Callable[[Any, list], Any], what: str,
             describe: Callable[[list], str], depth: int = PIPELINE) -> Iterator[tuple[list, Any]]:
    """The driver's work queue: each actor holds up to `depth` chunks (the next one waits at the actor, so it
    never idles while the driver handles a result); yields (chunk, result) as they finish. `chunks` is read
    lazily, so a caller may size the next chunk from the results so far. The chunks of an actor that died go
    back to the front of the queue, the one it was running charged with an attempt (those waiting behind it
    are not to blame); an actor raising an error stops the run."""
    fresh, retry = iter(chunks), deque()  # retry: (chunk, attempts so far), lost to dead actors
    held: dict[Any, deque] = {actor: deque() for actor in actors}  # live actor -> its refs in submission order
    running: dict[Any, tuple[Any, list, int]] = {}  # ref -> (actor, chunk, attempts so far)

    def take() -> tuple[list, int] | None:
        return retry.popleft() if retry else next(((chunk, 0) for chunk in fresh), None)

    while True:
        for _ in range(depth):  # one chunk per actor per round: spread before stacking
            for actor in [a for a, refs in held.items() if len(refs) < depth]:
                work = take()
                if work is None:
                    break
                ref = call(actor, work[0])
                running[ref] = (actor, *work)
                held[actor].append(ref)
        if not running:
            left = [describe(chunk) for chunk, _ in retry] + [describe(chunk) for chunk in fresh]
            if not left:
                return
            raise UnitFailed(f"--ray: no {what} actor left alive; unfinished: {', '.join(left[:5])}"
                             f"{' ...' if len(left) > 5 else ''}")
        ready, _ = ray.wait(list(running), num_returns=1, timeout=1.0)
        for ref in ready:
            actor = running[ref][0]
            try:
                result = ray.get(ref)
            except LOST_ERRORS as exc:  # the actor or its node died: only its chunks are lost, and they are redone
                if actor in actors:  # the caller's list forgets the dead actor (a pool reused across batches)
                    actors.remove(actor)
                lost = [running.pop(r) for r in held.pop(actor)]  # oldest first: the one it was running
                (_, chunk, attempts), waiting = lost[0], lost[1:]
                attempts += 1
                if attempts >= MAX_ATTEMPTS:
                    raise UnitFailed(f"--ray: {what} of {describe(chunk)} lost {attempts} times "
                                     f"(last: {type(exc).__name__}); giving up") from exc
                print(f"[evals] ray: {what} of {describe(chunk)} lost ({type(exc).__name__}); retrying elsewhere "
                      f"(attempt {attempts + 1}/{MAX_ATTEMPTS})"
                      + (f", with {len(waiting)} chunk(s) that waited behind it" if waiting else ""), file=sys.stderr)
                retry.extendleft(reversed([(chunk, attempts)] + [(c, n) for _, c, n in waiting]))
                continue
            _, chunk, _ = running.pop(ref)
            held[actor].remove(ref)
            yield chunk, result


def generate(engines: list[Any], requests: Sequence[Request], sampling: Sampling) -> Iterator[Completion]:
    """Completions of `requests` from the engine actors, in chunk completion order."""
    chunks = [list(requests[i:i + GENERATE_CHUNK]) for i in range(0, len(requests), GENERATE_CHUNK)]
    for _, completions in dispatch(engines, chunks, lambda a, c: a.generate.remote(c, sampling), "generation",
                                    _units):
        yield from completions


def _units(chunk: list[Request]) -> str:
    return "units " + ", ".join(f"({r.problem_id}, sample {r.sample_index})" for r in chunk)


def stop(actors: list[Any]) -> None:
    for actor in actors:
        ray.kill(actor)


class RayVerifierPool:
    """VerifierPool's verify_batch over verifier actors on every cluster CPU (started on first use); items of
    kind "code" go to the code judge's sandbox actors instead (evals.judge.distributed), which check their
    node's isolation first. Only one of the two actor sets holds the CPUs at a time."""

    def __init__(self, timeout: float, workers: int | None = None, num_cpus: float = 1) -> None:
        # num_cpus < 1 leaves room for other tasks (curation's text signals) on the same CPUs
        self.timeout, self.workers, self.num_cpus = timeout, workers, num_cpus
        self.actors: list[Any] = []
        self.judges: Any = None  # RayJudgePool, started for the first code item
        self.item_s: float | None = None  # measured seconds per item on an actor (a moving average)

    def _start(self) -> list[Any]:
        if self.judges is not None:  # give their CPUs back first
            self.judges.close()
        if not self.actors:
            count = self.workers or int(describe_cluster()["cpus"]) or 1
            actor = ray.remote(num_cpus=self.num_cpus)(_Verifier).options(scheduling_strategy="SPREAD", max_restarts=0)
            self.actors = [actor.remote(self.timeout) for _ in range(count)]
        return self.actors

    def _judges(self) -> Any:
        stop(self.actors)
        self.actors = []
        if self.judges is None:
            from .judge.distributed import RayJudgePool

            self.judges = RayJudgePool(self.timeout, self.workers, num_cpus=self.num_cpus)
        return self.judges

    def verify(self, kind: str, completion: str, reference: Any, **opts: Any) -> Verdict:
        return self.verify_batch([(kind, completion, reference, opts)])[0]

    def verify_batch(self, items: Sequence, *, progress: Callable[[int, int], None] | None = None,
                     timeout: float | None = None) -> list[Verdict]:
        results: list[Verdict | None] = [None] * len(items)
        code = [i for i, item in enumerate(items) if item[0] == "code"]
        rest = [i for i, item in enumerate(items) if item[0] != "code"]
        done = 0

        def seen(count: int, _total: int) -> None:
            if progress:
                progress(done + count, len(items))

        if rest:
            for index, verdict in zip(rest, self._verify([items[i] for i in rest], seen, timeout)):
                results[index] = verdict
            done = len(rest)
        if code:
            verdicts = self._judges().verify_batch([items[i] for i in code], progress=seen, timeout=timeout)
            for index, verdict in zip(code, verdicts):
                results[index] = verdict
        return results  # type: ignore[return-value]

    def _verify(self, items: list, progress: Callable[[int, int], None], timeout: float | None) -> list[Verdict]:
        results: list[Verdict | None] = [None] * len(items)
        actors = self._start()
        done = 0
        call = lambda a, c: a.verify.remote([item for _, item in c], timeout)  # noqa: E731
        for chunk, (verdicts, seconds) in dispatch(actors, self._chunks(items, len(actors)), call, "verification",
                                                   lambda c: f"items {c[0][0]}..{c[-1][0]}"):
            self.item_s = seconds / len(chunk) if self.item_s is None else 0.8 * self.item_s + 0.2 * seconds / len(chunk)
            for (index, _), verdict in zip(chunk, verdicts):
                results[index] = verdict
            done += len(chunk)
            progress(done, len(items))
        return results  # type: ignore[return-value]

    def _chunks(self, items: list, actors: int) -> Iterator[list[tuple[int, Any]]]:
        """(index, item) chunks of about VERIFY_CALL_S of work each, sized from the cost per item measured so
        far (VERIFY_CHUNK until then), and small enough that every actor gets several of what is left."""
        start = 0
        while start < len(items):
            size = VERIFY_CHUNK
            if self.item_s:
                balanced = (len(items) - start) // (4 * max(1, actors))
                size = max(VERIFY_CHUNK, min(int(VERIFY_CALL_S / self.item_s), balanced))
            yield list(enumerate(items[start:start + size], start))
            start += size

    def close(self) -> None:
        stop(self.actors)
        self.actors = []
        if self.judges is not None:
            self.judges.close()
