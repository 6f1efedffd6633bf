"""Judge throughput: tests per second of our sandboxed judge vs a LiveCodeBench-style runner, same run.

    python scripts/bench_judge.py                   # 12 problems, both runners, 2 workers
    python scripts/bench_judge.py --repeat 3        # medians over 3 rounds (runner order rotates)
    python scripts/bench_judge.py --baseline-only   # only the LCB-style runners (no evals.judge needed)
    python scripts/bench_judge.py --cpp             # also our judge alone on C++: compile and run apart, pch on/off
    python scripts/bench_judge.py --checker         # also: per-test cost of a C++ testlib checker (bench_checker.py)

The batch (scripts/bench_judge_batch.py) is LiveCodeBench-like and deterministic: 12 problems
(stdin and LeetCode-style functional), 10-30 generated tests each, and per problem 2-3 correct
Python submissions, one wrong answer, one runtime error; ``--tle N`` too-slow ones in the whole
batch (default 1; each costs about the 1 s time limit). Runners, all with ``--workers`` processes
and stopping at a submission's first failing test:

* ours: ``evals.judge.judging.judge_many`` (the sandboxed judge);
* lcb-style: scripts/lcb_style_runner.py, LCB's structure (a ProcessPoolExecutor over submissions;
  per submission a Manager list and one multiprocessing.Process with reliability_guard, SIGALRM per
  test, stdin/stdout mocked in-process);
* lcb-per-test: the same with a fresh process per test ("a process per test").

Each runner gets one untimed warm-up submission first. Printed: tests run, wall seconds, tests/s
per runner, the CPU seconds each runner's processes used (which other load on a shared machine moves
far less than wall time: see ``cpu_of``), the ratios, the machine, and every verdict that disagrees
between runners or with the verdict the submission was written to produce.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import lcb_style_runner as lcb  # noqa: E402
from bench_judge_batch import SPECS, TIME_LIMIT_S, Job, Spec, build_jobs, build_tests  # noqa: E402

Outcome = tuple[list[str], list[int], float]  # verdicts, tests run per submission, wall seconds
SOLUTION_CPU: dict[str, float] = {}  # CPU seconds our judge charged to the tests (solution + fork, per cgroup)
RUN_CPU: dict[str, float] = {}  # CPU seconds of a runner's last round, all its processes (see cpu_of)


def _own_cpu() -> float:
    self, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return self.ru_utime + self.ru_stime + children.ru_utime + children.ru_stime


def cpu_of(name: str, run: Callable[[list[Job]], Outcome], jobs: list[Job]) -> Outcome:
    """Run one round and keep the CPU seconds it cost, which other load on the machine barely moves
    (wall time does): this process (ours: the judge's threads) plus reaped children (LCB-style: its
    pool and per-submission processes); ours adds the CPU of its sandboxes' tests, from their cgroups
    (its boxes are killed, not reaped, so their CPU never reaches RUSAGE_CHILDREN)."""
    before = _own_cpu()
    outcome = run(jobs)
    RUN_CPU[name] = _own_cpu() - before + (SOLUTION_CPU[name] if name in SOLUTION_CPU else 0.0)
    return outcome


def run_lcb(jobs: list[Job], specs: dict[str, Spec], tests: dict, workers: int, per_test: bool) -> Outcome:
    samples = {name: lcb.make_sample(tests[name], spec.func_name) for name, spec in specs.items()}
    timeout = max(1, round(TIME_LIMIT_S))  # signal.alarm takes whole seconds
    t0 = time.perf_counter()
    results = lcb.evaluate([samples[j.problem] for j in jobs], [j.code for j in jobs], workers=workers,
                           timeout=timeout, per_test=per_test)
    wall = time.perf_counter() - t0
    return [lcb.verdict(r) for r in results], [lcb.tests_run(r) for r in results], wall


def make_problems(specs: dict[str, Spec], tests: dict) -> dict:
    from evals.judge.problems import CodeProblem, TestCase

    return {name: CodeProblem(id=name, statement="", tests=[TestCase(i, o) for i, o in tests[name]], kind=spec.kind,
                              func_name=spec.func_name, time_limit_s=TIME_LIMIT_S, memory_mb=256)
            for name, spec in specs.items()}


def run_ours(jobs: list[Job], problems: dict, workers: int) -> Outcome:
    from evals.judge.judging import judge_many

    t0 = time.perf_counter()
    results = judge_many([(problems[j.problem], j.code, j.language) for j in jobs], workers=workers,
                         stop_at_first_failure=True)
    wall = time.perf_counter() - t0
    SOLUTION_CPU["ours"] = sum(t.time_s for r in results for t in r.tests)
    return [r.reason for r in results], [len(r.tests) for r in results], wall


def describe_machine() -> str:
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "?"
    return (f"{platform.system()} {platform.machine()}, os.cpu_count()={os.cpu_count()}, usable CPUs={affinity}, "
            f"{platform.processor() or platform.uname().machine}, Python {platform.python_version()}")


def report_verdicts(jobs: list[Job], verdicts: dict[str, list[str]]) -> int:
    """Print submissions where runners disagree, or a verdict differs from the intended one; count them."""
    bad = 0
    for k, job in enumerate(jobs):
        seen = {name: v[k] for name, v in verdicts.items()}
        if set(seen.values()) != {job.expected}:
            bad += 1
            print(f"  DISAGREE {job.problem}/{job.label} ({job.language}): intended {job.expected}; "
                  + ", ".join(f"{n}={v}" for n, v in seen.items()))
    return bad


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2, help="worker processes for every runner (default 2)")
    parser.add_argument("--repeat", type=int, default=1, help="timed rounds; medians are reported (default 1)")
    parser.add_argument("--problems", type=int, default=len(SPECS), help=f"first N of the {len(SPECS)} problems")
    parser.add_argument("--tle", type=int, default=1, help="too-slow submissions in the whole batch (default 1, max 3)")
    parser.add_argument("--copies", type=int, default=2, help="copies of each correct submission (default 2)")
    parser.add_argument("--typing-import", action="store_true",
                        help="prepend 'from typing import *' to Python submissions (LCB adds it itself; our judge "
                             "does not, so LeetCode code using List fails there): compares equal work")
    parser.add_argument("--seed", type=int, default=0, help="test generator seed (default 0)")
    parser.add_argument("--baseline-only", action="store_true", help="run only the LCB-style runners")
    parser.add_argument("--no-per-test", action="store_true", help="skip the slow process-per-test variant")
    parser.add_argument("--cpp", action="store_true", help="also time our judge alone on the C++ submissions, then compile and run "
                        "apart with and without the precompiled bits/stdc++.h (bench_cpp_compile.py)")
    parser.add_argument("--checker", action="store_true",
                        help="also time checker problems: default vs stock wcmp vs testlib wcmp.cpp (bench_checker.py)")
    parser.add_argument("--checker-only", action="store_true", help="only the checker section")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every submission's verdicts")
    args = parser.parse_args()
    if args.checker_only:
        import bench_checker

        print(f"machine: {describe_machine()}")
        return bench_checker.run()

    specs = {s.name: s for s in SPECS[: max(1, args.problems)]}
    tests = {name: build_tests(spec, args.seed) for name, spec in specs.items()}
    jobs = build_jobs(list(specs.values()), args.tle, args.copies)
    if args.typing_import:
        jobs = [dataclasses.replace(j, code="from typing import *\n" + j.code) for j in jobs]
    runners = {}
    if not args.baseline_only:
        problems = make_problems(specs, tests)
        runners["ours"] = lambda js: run_ours(js, problems, args.workers)
    runners["lcb-style"] = lambda js: run_lcb(js, specs, tests, args.workers, per_test=False)
    if not args.no_per_test:
        runners["lcb-per-test"] = lambda js: run_lcb(js, specs, tests, args.workers, per_test=True)

    kinds = {}
    for j in jobs:
        kinds[j.expected] = kinds.get(j.expected, 0) + 1
    print(f"machine: {describe_machine()}")
    print(f"batch: {len(specs)} problems, {sum(len(t) for t in tests.values())} tests, {len(jobs)} Python submissions "
          f"{kinds}; time limit {TIME_LIMIT_S:g} s; workers {args.workers}; repeat {args.repeat}; seed {args.seed}")

    for run in runners.values():  # untimed warm-up: one correct submission
        run(jobs[:1])
    walls: dict[str, list[float]] = {name: [] for name in runners}
    counts: dict[str, list[int]] = {}
    verdicts: dict[str, list[str]] = {}
    cpus: dict[str, list[float]] = {}
    for r in range(args.repeat):
        names = list(runners)
        names = names[r % len(names):] + names[: r % len(names)]  # rotate the order between rounds
        for name in names:
            v, n, wall = cpu_of(name, runners[name], jobs)
            walls[name].append(wall)
            cpus.setdefault(name, []).append(RUN_CPU[name])
            if name in verdicts and verdicts[name] != v:
                print(f"  note: {name} verdicts changed between rounds")
            verdicts[name], counts[name] = v, n
            cpu = f", CPU charged to tests {SOLUTION_CPU[name]:.2f} s" if name in SOLUTION_CPU else ""
            print(f"  round {r + 1}: {name:13s} {sum(n):6d} tests {wall:8.2f} s (CPU {RUN_CPU[name]:.2f} s{cpu})",
                  flush=True)

    print(f"\n{'runner':14s} {'tests run':>9s} {'wall s':>8s} {'tests/s':>8s} {'subs/s':>7s} {'CPU s':>7s} "
          f"{'CPU ms/test':>11s}")
    rate = {}
    for name in runners:
        wall = statistics.median(walls[name])
        rate[name] = sum(counts[name]) / wall
        spread = f"  (min {min(walls[name]):.2f}, max {max(walls[name]):.2f})" if args.repeat > 1 else ""
        cpu = statistics.median(cpus[name])
        print(f"{name:14s} {sum(counts[name]):9d} {wall:8.2f} {rate[name]:8.1f} {len(jobs) / wall:7.2f} {cpu:7.2f} "
              f"{cpu / sum(counts[name]) * 1e3:11.2f}{spread}")
    base = "ours" if "ours" in rate else "lcb-style"
    for name in runners:
        if name != base:
            print(f"ratio tests/s {base} / {name}: {rate[base] / rate[name]:.2f}x  "
                  f"(wall {name} / {base}: {statistics.median(walls[name]) / statistics.median(walls[base]):.2f}x; "
                  f"CPU {name} / {base}: {statistics.median(cpus[name]) / statistics.median(cpus[base]):.2f}x)")

    if args.verbose:
        for k, job in enumerate(jobs):
            print(f"  {job.problem}/{job.label}: " + ", ".join(f"{n}={verdicts[n][k]} ({counts[n][k]} tests)"
                                                               for n in runners))
    print("\nverdicts (disagreements between runners, or with the intended verdict):")
    bad = report_verdicts(jobs, verdicts)
    print(f"  {bad} of {len(jobs)} submissions disagree" if bad else f"  none: all {len(jobs)} agree")

    if args.cpp and not args.baseline_only:
        cpp_jobs = build_jobs(list(specs.values()), 0, cpp=True)
        if cpp_jobs:
            from evals.judge import pch

            pch.ensure()  # untimed: a cold machine builds the precompiled bits/stdc++.h once (timed below)
            v, n, wall = run_ours(cpp_jobs, problems, args.workers)
            print(f"\nC++ (ours only, compile included): {len(cpp_jobs)} submissions, {sum(n)} tests, "
                  f"{wall:.2f} s, {sum(n) / wall:.1f} tests/s, {len(cpp_jobs) / wall:.2f} subs/s, "
                  f"CPU charged to tests {SOLUTION_CPU['ours']:.2f} s")
            bad += report_verdicts(cpp_jobs, {"ours": v})
        import bench_cpp_compile  # compile and run apart, with and without the precompiled bits/stdc++.h

        bad += bench_cpp_compile.run(rounds=max(3, args.repeat), seed=args.seed)
    if args.checker and not args.baseline_only:
        import bench_checker

        bad += bench_checker.run()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
