"""Judge a program against a problem's tests in the sandbox: compile, run each test, compare.

Usage::

    from evals.judge.judging import judge_code, judge_completion, judge_many

    result = judge_code(problem, code, "python")        # or "cpp"
    result.reason, result.correct, result.tests[0].time_s
    result = judge_completion(problem, completion, "python")  # extracts the code first (or no_code)
    results = judge_many([(problem, code, "cpp"), ...], workers=2)

Interactive problems (``problem.interactor``): per test, the program and the interactor talk over
pipes, each in its own sandbox (``evals.judge.interaction``); with a ``checker`` too, the checker
judges the interactor's ``tout`` once the interactor accepts (Polygon's interactor + checker).

Per test: the program's stdout goes to a host file the sandbox cannot name; the comparison
(``evals.judge.compare``) or the checker (``evals.judge.checkers``) runs outside the program's
sandbox, so expected outputs never enter it. A verdict never comes from the exit code alone.
Python runs in the harness's forked interpreter; C++ is built with g++ -O2 -std=c++17 inside the
same sandbox (with its own, larger limits; with the precompiled bits/stdc++.h when the source
includes it, ``evals.judge.pch``), then run from a read-only copy.
"""
from __future__ import annotations

import itertools
import os
import queue
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path

from evals.judge import checkers, interaction
from evals.judge.compare import compare_functional, worst
from evals.judge.problems import CodeProblem, extract_code
from evals.judge.sandbox import COMPILE_LIMITS, Box, Execution, Limits, SandboxCrash, write_new

JUDGE_VERSION = "4"  # bump when a change can move a verdict (4: shipped testlib, interactive problems and idleness_limit, a crashing checker is judge_error, limits checked at load, interactor + checker pairs)
LANGUAGES = ("python", "cpp")
_SLOTS = itertools.count()
BOX_MEMORY_MB = COMPILE_LIMITS.memory_mb  # the box's starting limit; each run sets its own


@dataclass
class TestResult:
    __test__ = False  # not a pytest class

    index: int
    reason: str
    time_s: float
    wall_s: float
    memory_mb: float
    exit_code: int | None = None
    signal: int | None = None
    detail: str = ""


@dataclass
class JudgeResult:
    problem_id: str
    language: str
    reason: str
    tests: list[TestResult] = field(default_factory=list)
    total_tests: int = 0
    compile_output: str | None = None
    error: str | None = None  # why the judge itself failed (judge_error before any test ran)
    version: str = JUDGE_VERSION

    @property
    def correct(self) -> bool:
        return self.reason == "correct"

    @property
    def passed(self) -> int:
        return sum(t.reason == "correct" for t in self.tests)

    def to_dict(self) -> dict:
        return {**asdict(self), "correct": self.correct, "passed": self.passed}


def _test_limits(problem: CodeProblem) -> Limits:
    # Wall time covers a loaded machine and programs that sleep; CPU time decides TLE.
    return Limits(cpu_s=problem.time_limit_s, wall_s=2 * problem.time_limit_s + 1, memory_mb=problem.memory_mb)


def _run_test(box: Box, problem: CodeProblem, index: int, limits: Limits) -> Execution:
    stdin = box.io_dir / "test.in"
    write_new(stdin, problem.tests[index].input.encode("utf-8", "surrogateescape"))
    return box.run_program(stdin, limits, func=problem.func_name if problem.kind == "functional" else None)


def _check(problem: CodeProblem, index: int, run: Execution, checker: checkers.Checker) -> tuple[str, str]:
    expected = problem.tests[index].output
    if problem.kind == "functional":
        got = Path(run.result_path).read_text(encoding="utf-8", errors="replace") if run.result_path else ""
        ok, why = compare_functional(got, expected)
        return ("correct" if ok else "wrong_answer"), why
    return checker.check(problem.tests[index].input, run.stdout_path, expected)


def judge_code(problem: CodeProblem, code: str, language: str, *, stop_at_first_failure: bool = True,
               slot: int | None = None, box: Box | None = None) -> JudgeResult:
    """Run ``code`` on every test of ``problem`` (stopping at the first failure by default).

    ``box``: a started sandbox to use (``judge_many`` reuses one per worker); by default a fresh one."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; use one of {LANGUAGES}")
    result = JudgeResult(problem.id, language, "judge_error", total_tests=len(problem.tests))
    slot = next(_SLOTS) % 64 if slot is None else slot
    with ExitStack() as stack:
        try:
            if box is None:
                box = stack.enter_context(Box(memory_mb=BOX_MEMORY_MB, slot=slot))
            result.compile_output = box.build(code, language)
            if result.compile_output is not None:
                result.reason = "compile_error"
                return result
            if problem.interactive:
                if problem.interactor is None:
                    raise interaction.InteractorError("an interactive problem without an interactor cannot be "
                                                      "judged; give its source in the problem's 'interactor'")
                on_tout = stack.enter_context(checkers.open_checker(problem.checker, slot=slot)) if problem.checker else None
                checker = stack.enter_context(interaction.Interactor(problem.interactor, slot=slot, checker=on_tout))
            else:
                checker = stack.enter_context(checkers.open_checker(problem.checker, slot=slot))
        except (SandboxCrash, checkers.CheckerError, interaction.InteractorError) as exc:
            result.error = str(exc)
            return result

        def fresh_box(dead: Box) -> Box | None:
            # All-tests mode: a submission that killed its harness (e.g. the OOM killer) still gets
            # its remaining tests, in a new box; the dead one is closed first, which kills its tree.
            dead.close()
            try:
                new = stack.enter_context(Box(memory_mb=BOX_MEMORY_MB, slot=slot))
                return new if new.build(code, language) is None else None
            except SandboxCrash:
                return None

        _run_tests(problem, box, checker, result, stop_at_first_failure, fresh_box)
    result.reason = worst([t.reason for t in result.tests])
    if result.reason == "correct" and len(result.tests) < len(problem.tests):
        result.reason = "judge_error"  # never claim a pass for tests that did not run
    return result


def _run_tests(problem: CodeProblem, box: Box, checker: checkers.Checker | interaction.Interactor,
               result: JudgeResult, stop_at_first_failure: bool, fresh_box: Callable[[Box], Box | None]) -> None:
    limits = _test_limits(problem)
    for index in range(len(problem.tests)):
        try:
            if isinstance(checker, interaction.Interactor):
                reason, why, run = checker.interact(box, problem.tests[index], limits)
            else:
                run = _run_test(box, problem, index, limits)
                reason, why = (run.status, run.detail) if run.status != "ok" else _check(problem, index, run, checker)
        except (SandboxCrash, checkers.CheckerError, interaction.InteractorError) as exc:
            run, reason, why = None, "judge_error", str(exc)
        if run is None:
            result.tests.append(TestResult(index, reason, 0.0, 0.0, 0.0, detail=why))
        else:
            if reason == "runtime_error":
                why = f"{why}\n{run.stderr_tail[-1000:]}".strip()
            result.tests.append(TestResult(index, reason, run.cpu_s, run.wall_s, run.peak_mb, run.exit_code,
                                           run.signal, why))
        box.discard()  # this test's output files go now: a submission holds one test's on the host disk
        if reason != "correct" and stop_at_first_failure:
            return
        if not box.alive() and index + 1 < len(problem.tests):
            box = fresh_box(box)
            if box is None:
                return


def judge_completion(problem: CodeProblem, completion: str, language: str, *, think_prefilled: bool = False,
                     stop_at_first_failure: bool = True) -> JudgeResult:
    """Extract the last code block of ``language`` after the reasoning, then judge it."""
    code = extract_code(completion, language, think_prefilled=think_prefilled)
    if code is None:
        return JudgeResult(problem.id, language, "no_code", total_tests=len(problem.tests))
    return judge_code(problem, code, language, stop_at_first_failure=stop_at_first_failure)


def judge_many(jobs: list[tuple[CodeProblem, str, str]], workers: int | None = None, *,
               stop_at_first_failure: bool = True) -> list[JudgeResult]:
    """Judge independent submissions in parallel; results in input order.

    Threads suffice: the work happens in the sandboxes' processes, so ``workers`` sandboxes run
    at once (default: one per core), each with its own uid slot. A worker's sandbox is reset and
    reused for its next submission when tests run under another uid than the harness (judge run as
    root), which saves starting bubblewrap and an interpreter per submission; otherwise every
    submission gets a fresh one.
    """
    workers = workers or os.cpu_count() or 1
    idle: queue.Queue[tuple[int, Box | None]] = queue.Queue()
    for s in range(workers):
        idle.put((s, None))

    def one(job: tuple[CodeProblem, str, str]) -> JudgeResult:
        slot, box = idle.get()
        try:
            if box is not None and not box.alive():  # its harness died while idle (OOM killer, a signal)
                box.close()
                box = None
            if box is None:
                box = Box(memory_mb=BOX_MEMORY_MB, slot=slot)
                box.start()
            result = judge_code(*job, stop_at_first_failure=stop_at_first_failure, slot=slot, box=box)
            if box.reusable:
                try:
                    box.reset()
                except SandboxCrash:
                    pass  # the box died: closed below, a fresh one comes next time
            if not box.reusable:
                box.close()
                box = None
            return result
        except BaseException:
            if box is not None:
                box.close()
            box = None
            raise
        finally:
            idle.put((slot, box))

    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(one, jobs))
    finally:
        while not idle.empty():
            _, box = idle.get()
            if box is not None:
                box.close()
