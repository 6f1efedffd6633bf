"""Command line: argument parsing only; the work happens in the library.

    python -m evals verify --kind math completions.jsonl --output verdicts.jsonl
    python -m evals verify --kind math evals/data/math500.jsonl --completion-field solution

Heavy imports happen after parsing, so ``--help`` is instant.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m evals", description="Evaluate reasoning models faithfully.")
    sub = parser.add_subparsers(dest="command", required=True)
    verify = sub.add_parser(
        "verify",
        help="verify completions in a JSONL file against reference answers",
        description=(
            "Read JSON lines with a completion and a reference answer (and an optional id and "
            "finish_reason); write one JSON line per input with id, correct, extracted, normalized, "
            "reason, method and verifier version. Every check runs in a worker process with a hard "
            "time limit. A bad line is reported with its line number and the rest goes on."
        ),
    )
    verify.add_argument("file", help="input JSONL file ('-' for stdin)")
    verify.add_argument("--kind", choices=["math", "aime", "choice"], required=True, help="which verifier")
    verify.add_argument("--output", "-o", help="output JSONL file (default: stdout)")
    verify.add_argument("--completion-field", default="completion", help="field holding the model output")
    verify.add_argument("--answer-field", default="answer", help="field holding the reference answer")
    verify.add_argument("--workers", type=int, default=None, help="worker processes (default: all cores)")
    verify.add_argument("--timeout", type=float, default=None, help="hard limit per check in seconds (default 5)")
    verify.add_argument(
        "--think-prefilled",
        action="store_true",
        help="the chat template opened <think> in the prompt (R1 distills): no </think> means truncated",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _build_parser().parse_args(argv)
    if args.command == "verify":
        from .verify_file import verify_file

        return verify_file(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
