"""C++ compile and run times in our judge, with and without the precompiled bits/stdc++.h, in one run.

    python scripts/bench_cpp_compile.py                # the batch's C++ submissions, 3 rounds
    python scripts/bench_cpp_compile.py --rounds 5
    python scripts/bench_judge.py --cpp                # the same, after the Python throughput table

The submissions are scripts/bench_judge_batch.py's C++ ones (each starts ``#include <bits/stdc++.h>``,
as most model C++ does) and the same programs with the explicit headers they need instead (a control:
the pch must not touch them). Every submission is judged in a fresh sandbox (all its tests), with the
pch (``R1_EVALS_PCH`` unset) and without it (``R1_EVALS_PCH=0``), the two alternated per round so
load on a shared machine hits both alike. Printed per mode and kind, medians over submissions x rounds:
compile wall (``Box.build`` as the judge sees it), compile CPU and peak memory (g++'s cgroup), and the
run phase (tests' wall and CPU); then the one-off pch build, and the identical-results check: every
verdict the same, and every compiled binary byte-identical with and without the pch.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from bench_judge_batch import SPECS, TIME_LIMIT_S, build_tests  # noqa: E402

EXPLICIT = ("#include <cstdio>\n#include <iostream>\n#include <vector>\n#include <string>\n#include <algorithm>\n"
            "#include <numeric>\n#include <utility>\nusing namespace std;\n")


def submissions() -> list[tuple[str, str, str]]:
    """(problem, kind, source): the batch's bits/stdc++.h programs and their explicit-header twins."""
    subs = []
    for spec in SPECS:
        for code in spec.cpp:
            subs.append((spec.name, "bits/stdc++.h", code))
            subs.append((spec.name, "explicit headers", code.replace("#include <bits/stdc++.h>\n", EXPLICIT)))
    return subs


def judge_once(problem, source: str, use_pch: bool) -> dict:
    from evals.judge.judging import BOX_MEMORY_MB, judge_code
    from evals.judge.pch import ENV
    from evals.judge.sandbox import Box

    if use_pch:
        os.environ.pop(ENV, None)
    else:
        os.environ[ENV] = "0"
    with Box(memory_mb=BOX_MEMORY_MB) as box:
        start = time.perf_counter()
        assert box.build(source, "cpp") is None, "a benchmark submission does not compile"
        compile_wall = time.perf_counter() - start
        compiled = box.last_compile
        binary = hashlib.sha256(box.fetch_program()).hexdigest()
        start = time.perf_counter()
        result = judge_code(problem, source, "cpp", stop_at_first_failure=False, box=_Built(box))
        run_wall = time.perf_counter() - start
    return {"compile_wall": compile_wall, "compile_cpu": compiled.cpu_s, "compile_mb": compiled.peak_mb,
            "used_pch": box.compiled_with_pch, "run_wall": run_wall, "run_cpu": sum(t.time_s for t in result.tests),
            "tests": len(result.tests), "verdict": result.reason, "binary": binary}


class _Built:
    """A built box whose ``build`` is a no-op: judge_code then times the tests alone."""

    def __init__(self, box):
        self._box = box

    def build(self, source: str, language: str) -> None:
        return None

    def __getattr__(self, name):
        return getattr(self._box, name)


def pch_build_once() -> tuple[float, float]:
    """Wall seconds and .gch MB of the one-off build (into this run's fresh R1_EVALS_CACHE)."""
    from evals.judge import pch

    os.environ.pop(pch.ENV, None)
    start = time.perf_counter()
    directory = pch.ensure()
    wall = time.perf_counter() - start
    if directory is None:
        raise SystemExit(f"the precompiled header could not be built: {pch.status()}")
    return wall, (directory / (pch.HEADER + ".gch")).stat().st_size / 1e6


def run(rounds: int = 3, seed: int = 0) -> int:
    before = os.environ.get("R1_EVALS_CACHE")
    cache = os.environ["R1_EVALS_CACHE"] = tempfile.mkdtemp(prefix="bench-pch-")  # a cold machine: the build is timed
    try:
        return _measure(rounds, seed)
    finally:
        shutil.rmtree(cache, ignore_errors=True)  # the .gch is ~100 MB
        if before is None:
            os.environ.pop("R1_EVALS_CACHE")
        else:
            os.environ["R1_EVALS_CACHE"] = before


def _measure(rounds: int, seed: int) -> int:
    from evals.judge.problems import CodeProblem, TestCase

    build_wall, gch_mb = pch_build_once()
    problems = {}
    for spec in SPECS:
        if spec.cpp:
            tests = [TestCase(i, o) for i, o in build_tests(spec, seed)]
            problems[spec.name] = CodeProblem(spec.name, "", tests, time_limit_s=TIME_LIMIT_S, memory_mb=256)
    subs = submissions()
    rows: dict[tuple[str, bool], list[dict]] = {}
    same_verdict = same_binary = 0
    for r in range(rounds):
        for name, kind, source in subs:
            got = {}
            for use_pch in ((True, False) if r % 2 == 0 else (False, True)):
                got[use_pch] = judge_once(problems[name], source, use_pch)
                rows.setdefault((kind, use_pch), []).append(got[use_pch])
            same_verdict += got[True]["verdict"] == got[False]["verdict"] == "correct"
            same_binary += got[True]["binary"] == got[False]["binary"]
    os.environ.pop("R1_EVALS_PCH", None)

    med = lambda rs, k: statistics.median(x[k] for x in rs)  # noqa: E731
    print(f"\nC++ in our judge: {len(subs)} submissions x {rounds} rounds, each in a fresh sandbox, "
          "pch on/off alternated (medians)")
    print(f"{'submission':18s} {'pch':>4s} {'used':>5s} {'compile wall':>12s} {'compile CPU':>11s} {'compile MB':>10s} "
          f"{'run wall':>9s} {'run CPU':>8s} {'tests':>6s}")
    for (kind, use_pch), rs in sorted(rows.items(), key=lambda kv: (kv[0][0], not kv[0][1])):
        used = sum(x["used_pch"] for x in rs)
        print(f"{kind:18s} {'on' if use_pch else 'off':>4s} {used:2d}/{len(rs):<2d} {med(rs, 'compile_wall'):11.2f}s "
              f"{med(rs, 'compile_cpu'):10.2f}s {med(rs, 'compile_mb'):10.0f} {med(rs, 'run_wall'):8.2f}s "
              f"{med(rs, 'run_cpu'):7.3f}s {med(rs, 'tests'):6.0f}")
    on, off = rows[("bits/stdc++.h", True)], rows[("bits/stdc++.h", False)]
    print(f"bits/stdc++.h compile wall: {med(off, 'compile_wall'):.2f} s -> {med(on, 'compile_wall'):.2f} s "
          f"({med(off, 'compile_wall') / med(on, 'compile_wall'):.2f}x); compile CPU {med(off, 'compile_cpu'):.2f} s -> "
          f"{med(on, 'compile_cpu'):.2f} s")
    print(f"one-off pch build (sandboxed g++, checked, published): {build_wall:.2f} s wall, .gch {gch_mb:.0f} MB")
    pairs = len(subs) * rounds
    print(f"identical results with and without the pch: verdicts {same_verdict}/{pairs} (all correct), "
          f"binaries byte-identical {same_binary}/{pairs}")
    return 0 if same_verdict == same_binary == pairs else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="rounds over all submissions (default 3)")
    parser.add_argument("--seed", type=int, default=0, help="test generator seed (default 0)")
    args = parser.parse_args()
    from bench_judge import describe_machine

    print(f"machine: {describe_machine()}")
    return run(args.rounds, args.seed)


if __name__ == "__main__":
    sys.exit(main())
