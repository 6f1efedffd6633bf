"""Command line: argument parsing only; the work happens in leaderboards.build (imported after parsing,
so `--help` is instant).

    python -m leaderboards build [--db runs/store] [--format md|html|csv|all] [--output runs/leaderboards]
    python -m leaderboards reference [--format md|csv]     # the paper's numbers, each with its source
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

DEFAULT_DB = "runs/store"
DEFAULT_OUTPUT = "runs/leaderboards"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m leaderboards",
        description="Our measured numbers beside the DeepSeek-R1 paper's (Tables 2, 4, 5), from an evals store.")
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser(
        "build", help="render the leaderboard (Markdown, static HTML, CSV) from a store",
        description="Render, from an evals store, our pass@1 ± 95% CI, cons@k and pass@k beside the paper's "
                    "numbers for the same model and benchmark (delta, and a flag where the paper's number is "
                    "outside our interval), the manifest of every run, and the paper's tables.")
    build.add_argument("--db", default=DEFAULT_DB, help=f"evals store directory (default: {DEFAULT_DB})")
    build.add_argument("--format", default="all", choices=["md", "html", "csv", "all"],
                       help="what to write (default: all): leaderboard.md, leaderboard.html, or "
                            "leaderboard.csv + manifest.csv + paper_reference.csv")
    build.add_argument("--output", default=DEFAULT_OUTPUT, help=f"output directory (default: {DEFAULT_OUTPUT})")
    build.add_argument("--recompute", action="store_true",
                       help="recompute metrics from stored samples and verdicts (as `python -m evals show`; merges "
                            "shards) instead of reading the results files the runs wrote")
    build.add_argument("--references", metavar="FILE", help="paper numbers (default: the packaged paper_tables.json)")
    ref = sub.add_parser("reference", help="print the paper's numbers, each with its table, column and row",
                         description="Print every number of leaderboards/data/paper_tables.json with its source "
                                     "(table, column, row) and our model/benchmark names, to check against the paper.")
    ref.add_argument("--format", default="md", choices=["md", "csv"])
    ref.add_argument("--references", metavar="FILE", help="paper numbers (default: the packaged paper_tables.json)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "reference":
        return _reference(args)
    from evals.errors import R1EvalsError

    from .build import FORMATS, build

    formats = FORMATS if args.format == "all" else (args.format,)
    try:
        written = build(args.db, formats, args.output, recompute=args.recompute, references=args.references)
    except R1EvalsError as exc:  # e.g. measured.StoreError: --db is not an evals store
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    for path in written:
        print(path)
    return 0


def _reference(args: argparse.Namespace) -> int:
    from . import render
    from .reference import load_references, load_tables
    from .tables import paper_tables

    if args.format == "csv":
        sys.stdout.write(render.reference_csv(load_references(args.references)))
    else:
        for table in paper_tables(load_tables(args.references)):
            print(f"## {table.title}\n\n{render.md_table(table)}\n")
    return 0
