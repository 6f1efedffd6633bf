"""``python -m evals judge``: argument handling only; the work is in ``evals.judge.judging``."""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from . import seccomp


def _language(args: argparse.Namespace) -> str:
    if args.language:
        return args.language
    return "cpp" if Path(args.solution).suffix.lower() in (".cpp", ".cc", ".cxx", ".c++") else "python"


def _probe_filter() -> dict:
    """Run ``seccomp.PROBE`` in a box; the cgroup parents made for it are removed afterwards."""
    from .cgroups import find_cgroups
    from .sandbox import Box, Limits

    parent = find_cgroups()
    try:
        with Box(memory_mb=256) as box:
            error = box.build(seccomp.PROBE, "python")
            if error:
                return {"error": error}
            (box.io_dir / "empty.in").write_bytes(b"")
            run = box.run_program(box.io_dir / "empty.in", Limits(cpu_s=5, wall_s=10, memory_mb=256))
            out = Path(run.stdout_path).read_text()
            return json.loads(out) if run.status == "ok" else {"error": f"{run.status}: {run.stderr_tail[-500:]}"}
    finally:
        parent.release()


def judge_command(args: argparse.Namespace) -> int:
    from .judging import judge_code, judge_completion
    from .problems import ProblemError, load_problem_file
    from .sandbox import SandboxUnavailable, check_layers

    if args.check:
        layers = check_layers()
        report = {**asdict(layers), "ok": layers.ok}
        if layers.ok:  # the filter as a program in a box sees it: each guarded call and its errno
            report["filter_probe"] = _probe_filter()
            report["ok"] = report["filter_probe"] == seccomp.EXPECTED
        print(json.dumps(report, indent=2))
        return 0 if report["ok"] else 3
    if not (args.problem and args.solution):
        print("error: give PROBLEM.json and SOLUTION_FILE (or --check); see `python -m evals judge --help`",
              file=sys.stderr)
        return 2
    try:
        problem = load_problem_file(args.problem)
        text = Path(args.solution).read_text(encoding="utf-8", errors="surrogateescape")
    except (ProblemError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    language = _language(args)
    try:
        if args.completion:
            result = judge_completion(problem, text, language, stop_at_first_failure=not args.all_tests)
        else:
            result = judge_code(problem, text, language, stop_at_first_failure=not args.all_tests)
    except SandboxUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    print(json.dumps(result.to_dict(), indent=2))
    return 0 if result.correct else 1
