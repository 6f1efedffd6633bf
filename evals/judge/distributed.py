"""The code judge on a Ray cluster: sandbox actors spread over the cluster's CPUs.

    from evals.judge.distributed import RayJudgePool, check_nodes
    with RayJudgePool() as judges:                       # after ray.init / evals.distributed.connect
        results = judges.judge_many([(problem, code, "python"), ...])   # = judging.judge_many, in input order
        verdicts = judges.verify_batch(code_items, timeout=...)         # verifier items of kind "code"
    check_nodes("auto")                                  # `python -m evals judge --check --ray`: every node

Imported only under --ray. Each sandbox actor holds one CPU (half in curation verify) and checks its node once, as
`python -m evals judge --check` does (bubblewrap, cgroups, the uid drop, the seccomp filter probed
from inside a box); without isolation it refuses to start and the pool stops with the node named:
no submission is ever judged unsandboxed. Submissions travel in small chunks through the same work
queue as generation (evals.distributed): a chunk whose actor or node died is judged again elsewhere,
at most MAX_ATTEMPTS times.
"""
from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from typing import Any

import ray
from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

from evals.distributed import LOST_ERRORS, connect, describe_cluster, dispatch, stop
from evals.errors import SetupError
from evals.verifiers import Verdict, VerifierPool

from .judging import JudgeResult, judge_many
from .problems import CodeProblem, extract_code

JUDGE_CHUNK = 4  # submissions per actor call: a dead node costs little, a slow problem does not hold the rest
REFUSAL = "the code judge's sandbox does not isolate on node"


class _Sandbox:
    """One judging slot on one node, started only where the sandbox really isolates."""

    def __init__(self) -> None:
        from .isolation import isolation_report

        self.node = ray.util.get_node_ip_address()
        report = isolation_report()
        if not report["ok"]:
            raise SetupError(f"{REFUSAL} {self.node}: {'; '.join(report['problems'])}. Run `python -m evals judge "
                             "--check` there and fix it (README, 'Code judge'), or leave that node out of the cluster")
        self.pool: VerifierPool | None = None

    def node(self) -> str:
        return ray.get_runtime_context().get_node_id()

    def judge(self, jobs: list[tuple[CodeProblem, str, str]], stop_at_first_failure: bool) -> list[JudgeResult]:
        return judge_many(jobs, workers=1, stop_at_first_failure=stop_at_first_failure)

    def verify(self, items: list, timeout: float | None) -> list[Verdict]:
        """Verifier items of kind "code", in a one-process VerifierPool: the hard time limit holds here too."""
        if self.pool is None:
            self.pool = VerifierPool(workers=1, timeout=timeout or 120.0)
        return self.pool.verify_batch(items, timeout=timeout)


def _refusal(exc: BaseException) -> str:
    """The sandbox actor's own words when it refused to start (Ray wraps them in its creation-task error)."""
    found = re.search(rf"{re.escape(REFUSAL)} .*", str(exc))
    return found.group(0) if found else f"a sandbox actor failed to start: {exc}"


class RayJudgePool:
    """judge_many and code verification over sandbox actors, one per cluster CPU (or `workers`)."""

    def __init__(self, timeout: float | None = None, workers: int | None = None, *, num_cpus: float = 1,
                 runtime_env: dict[str, Any] | None = None) -> None:
        # num_cpus < 1 leaves room for other tasks (curation's text signals); runtime_env: what each actor's
        # process gets (e.g. env_vars), as for any Ray actor
        self.timeout, self.workers, self.num_cpus, self.runtime_env = timeout, workers, num_cpus, runtime_env
        self.actors: list[Any] = []

    def _start(self) -> list[Any]:
        if not self.actors:
            count = self.workers or int(describe_cluster()["cpus"]) or 1
            options: dict[str, Any] = {"scheduling_strategy": "SPREAD", "max_restarts": 0}
            if self.runtime_env:
                options["runtime_env"] = self.runtime_env
            actor = ray.remote(num_cpus=self.num_cpus)(_Sandbox).options(**options)
            actors = [actor.remote() for _ in range(count)]
            try:
                ray.get([a.__ray_ready__.remote() for a in actors])
            except LOST_ERRORS as exc:  # a refusal (or a node lost while starting): judge nowhere
                stop(actors)
                raise SetupError(f"--ray: {_refusal(exc)}") from None
            self.actors = actors
            nodes = sorted(set(ray.get([a.node.remote() for a in actors])))
            print(f"[evals] ray: {len(actors)} sandbox actors ready, isolation checked on {len(nodes)} nodes "
                  f"({', '.join(n[:8] for n in nodes)})", file=sys.stderr)
        return self.actors

    def judge_many(self, jobs: Sequence[tuple[CodeProblem, str, str]], *,
                   stop_at_first_failure: bool = True) -> list[JudgeResult]:
        """judging.judge_many on the cluster: the same results, in input order."""
        call = lambda a, c: a.judge.remote([job for _, job in c], stop_at_first_failure)  # noqa: E731
        return self._run(list(jobs), call, "judging", lambda c: "submissions " + ", ".join(
            f"{i} ({job[0].id})" for i, job in c))

    def verify(self, kind: str, completion: str, reference: Any, **opts: Any) -> Verdict:
        return self.verify_batch([(kind, completion, reference, opts)])[0]

    def verify_batch(self, items: Sequence, *, progress: Callable[[int, int], None] | None = None,
                     timeout: float | None = None) -> list[Verdict]:
        limit = timeout or self.timeout
        call = lambda a, c: a.verify.remote([item for _, item in c], limit)  # noqa: E731
        return self._run(list(items), call, "code judging", lambda c: f"items {c[0][0]}..{c[-1][0]}", progress)

    def _run(self, work: list, call: Callable[[Any, list], Any], what: str, describe: Callable[[list], str],
             progress: Callable[[int, int], None] | None = None) -> list:
        indexed = list(enumerate(work))
        chunks = [indexed[i:i + JUDGE_CHUNK] for i in range(0, len(indexed), JUDGE_CHUNK)]
        results: list[Any] = [None] * len(work)
        done = 0
        # one chunk per actor: a sandboxed run costs seconds, so a queued chunk would only wait behind a slow one
        for chunk, outs in dispatch(self._start() if work else [], chunks, call, what, describe, depth=1):
            for (index, _), out in zip(chunk, outs):
                results[index] = out
            done += len(chunk)
            if progress:
                progress(done, len(work))
        return results

    def close(self) -> None:
        stop(self.actors)
        self.actors = []

    def __enter__(self) -> RayJudgePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def judge_one(problem: CodeProblem, text: str, language: str, *, completion: bool = False,
              stop_at_first_failure: bool = True) -> JudgeResult:
    """`python -m evals judge --ray`: one program (or a completion's last code block) on a sandbox actor."""
    code = extract_code(text, language) if completion else text
    if code is None:
        return JudgeResult(problem.id, language, "no_code", total_tests=len(problem.tests))
    with RayJudgePool(workers=1) as judges:
        return judges.judge_many([(problem, code, language)], stop_at_first_failure=stop_at_first_failure)[0]


@ray.remote(num_cpus=0)
def _node_report() -> dict[str, Any]:
    from .isolation import isolation_report

    return {"node_ip": ray.util.get_node_ip_address(), **isolation_report()}


def check_nodes(address: str) -> list[dict[str, Any]]:
    """`judge --check` on every live node of the cluster at `address`: one report per node."""
    connect(address)
    refs = [_node_report.options(scheduling_strategy=NodeAffinitySchedulingStrategy(n["NodeID"], soft=False)).remote()
            for n in ray.nodes() if n["Alive"]]
    return ray.get(refs)
