"""``python -m evals judge``: argument handling only; the work is in ``evals.judge.judging``."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _language(args: argparse.Namespace) -> str:
    if args.language:
        return args.language
    return "cpp" if Path(args.solution).suffix.lower() in (".cpp", ".cc", ".cxx", ".c++") else "python"


def judge_command(args: argparse.Namespace) -> int:
    from evals.errors import SetupError

    from .judging import judge_code, judge_completion
    from .problems import ProblemError, load_problem_file
    from .sandbox import SandboxUnavailable

    if args.check:
        if args.ray:  # every node of the cluster, one report each
            from .distributed import check_nodes

            reports = check_nodes(args.ray)
            print(json.dumps(reports, indent=2))
            return 0 if all(r["ok"] for r in reports) else 3
        from .isolation import isolation_report

        report = isolation_report()
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
        if args.ray:
            from evals.distributed import connect

            from .distributed import judge_one

            connect(args.ray)
            result = judge_one(problem, text, language, completion=args.completion,
                               stop_at_first_failure=not args.all_tests)
        elif args.completion:
            result = judge_completion(problem, text, language, stop_at_first_failure=not args.all_tests)
        else:
            result = judge_code(problem, text, language, stop_at_first_failure=not args.all_tests)
    except (SandboxUnavailable, SetupError) as exc:  # SetupError: a cluster node without isolation (--ray)
        print(f"error: {exc}", file=sys.stderr)
        return 3
    print(json.dumps(result.to_dict(), indent=2))
    return 0 if result.correct else 1
