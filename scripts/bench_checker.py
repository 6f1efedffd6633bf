"""Checker throughput for scripts/bench_judge.py --checker: per-test cost of a C++ testlib checker.

One A+B problem with N tests, one correct Python submission judged (all tests) three ways in one
run: the default comparison, the stock ``wcmp`` in the judge, and testlib's own ``checkers/wcmp.cpp``
(built once per problem by evals.judge.jury and cached by content hash). Also: the checker's cold
compile vs a cache hit, and g++ on the checker with and without a precompiled testlib.h (.gch),
alternated, medians. Verdicts must be identical across the three ways.
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

# testlib's checkers/wcmp.cpp (MikeMirzayanov/testlib, MIT), as shipped checkers use it; provenance in the
# fixture folder's README
WCMP = (Path(__file__).resolve().parents[1] / "tests/fixtures/codeforces_real/checkers/wcmp.cpp").read_text()
SOLUTION = "a, b = map(int, input().split())\nprint(a + b)\n"


def _judge(problem) -> tuple[float, list[str]]:
    from evals.judge.judging import judge_code

    start = time.perf_counter()
    result = judge_code(problem, SOLUTION, "python", stop_at_first_failure=False)
    return time.perf_counter() - start, [t.reason for t in result.tests]


def _gch_times(reps: int) -> tuple[float, float]:
    from evals.judge.jury import testlib_header
    from evals.judge.sandbox import CXX

    work = Path(tempfile.mkdtemp(prefix="bench-gch-"))
    try:
        shutil.copy(testlib_header(), work / "testlib.h")
        (work / "wcmp.cpp").write_text(WCMP)
        flags = CXX[1:-3]  # the judge's g++ flags, without -o and the file names
        (work / "pch").mkdir()
        subprocess.run([CXX[0], *flags, "-x", "c++-header", "-o", str(work / "pch" / "testlib.h.gch"),
                        str(work / "testlib.h")], check=True, capture_output=True)
        plain, pch = [], []
        for _ in range(reps):  # alternated, so load on this shared machine hits both alike
            for times, include in ((plain, []), (pch, ["-include", str(work / "pch" / "testlib.h")])):
                start = time.perf_counter()
                subprocess.run([CXX[0], *flags, "-I", str(work), *include, "-o", str(work / "a.out"), str(work / "wcmp.cpp")],
                               check=True, capture_output=True)
                times.append(time.perf_counter() - start)
        return statistics.median(plain), statistics.median(pch)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(tests: int = 200, gch_reps: int = 3) -> int:
    from evals.judge.problems import CodeProblem, TestCase

    os.environ["R1_EVALS_CACHE"] = cache = tempfile.mkdtemp(prefix="bench-jury-")
    try:
        cases = [TestCase(f"{i} {2 * i}\n", f"{3 * i}\n") for i in range(tests)]
        ways = {"default compare": None, "stock wcmp": "wcmp", "testlib wcmp.cpp": WCMP}
        problems = {name: CodeProblem(f"ab-{i}", "", cases, checker=c) for i, (name, c) in enumerate(ways.items())}
        cold, _ = _judge(CodeProblem("ab-cold", "", cases[:1], checker=WCMP))  # builds and caches
        warm, _ = _judge(CodeProblem("ab-warm", "", cases[:1], checker=WCMP))  # the cache hit
        print(f"\nchecker problems: A+B, {tests} tests, one correct Python submission, all tests run")
        print(f"  testlib checker, one test: {cold:.2f} s with its compile, {warm:.2f} s from the cache")
        verdicts = {}
        base = None
        for name, problem in problems.items():
            wall, verdicts[name] = _judge(problem)
            base = base or wall
            print(f"  {name:18s} {wall:7.2f} s  {1000 * wall / tests:6.2f} ms/test  {tests / wall:7.1f} tests/s  "
                  f"({wall / base:.2f}x the default)")
        same = len({tuple(v) for v in verdicts.values()}) == 1 and set(verdicts["default compare"]) == {"correct"}
        print(f"  verdicts identical across the three ways: {same}")
        plain, pch = _gch_times(gch_reps)
        print(f"  g++ on the testlib checker (median of {gch_reps}, alternated): {plain:.2f} s plain, {pch:.2f} s with "
              f"a precompiled testlib.h ({plain / pch:.2f}x); each checker compiles once per problem anyway (cache)")
        return 0 if same else 1
    finally:
        shutil.rmtree(cache, ignore_errors=True)
