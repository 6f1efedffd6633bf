"""Command line: argument parsing only; the work happens in the library.

    python -m evals run --model deepseek-r1-distill-qwen-7b
    python -m evals run --model smollm2-135m-instruct --benchmark math500 --limit 10 --max-tokens 256
    python -m evals show [--db runs/store]
    python -m evals rescore [--db runs/store]
    python -m evals compact [--db runs/store]
    python -m evals fsck runs/store [--repair]   # damaged segments, stale locks, racing writers
    python -m evals models | benchmarks
    python -m evals verify --kind math completions.jsonl --output verdicts.jsonl
    python -m evals signals completions.jsonl        # language, format, repetition, readability

Heavy imports happen after parsing, so ``--help`` is instant.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from evals.config import R1_PROTOCOL, RunConfig
from evals.config_flags import add_options, build, pair_flag
from evals.errors import UsageError, report_errors
from evals.verifiers.registry import text_reference_kinds

DEFAULT_DB = RunConfig.db


def _add_run(sub: argparse._SubParsersAction) -> None:
    r1 = R1_PROTOCOL
    run = sub.add_parser(
        "run", help="evaluate a model (R1 protocol by default), resuming whatever is already stored",
        description="Generate the samples that are missing from the store, verify them, and report pass@1 "
                    "(mean over k samples, 95% bootstrap CI), cons@k and pass@k. Defaults follow the DeepSeek-R1 "
                    f"protocol: temperature {r1.temperature}, top-p {r1.top_p}, {r1.max_tokens:,} new tokens, "
                    "k = 64 (AIME), 4 (MATH-500), 8 (GPQA). Re-running a killed command finishes it; nothing "
                    "stored is generated twice.",
    )
    add_options(run, RunConfig)


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m evals", description="Evaluate reasoning models faithfully.")
    sub = parser.add_subparsers(dest="command", required=True)
    _add_run(sub)
    show = sub.add_parser("show", help="metrics of every run in the store, recomputed from its samples",
                          description="Recompute and print the summary table of every run in the store.")
    show.add_argument("--db", default=DEFAULT_DB)
    show.add_argument("--model", help="only this model")
    show.add_argument("--json", action="store_true", help="print the full metrics as JSON")
    show.add_argument("--data", type=pair_flag, action="append", default=[], metavar="BENCHMARK=PATH")
    rescore = sub.add_parser("rescore", help="re-verify stored samples with the current verifiers; list flips",
                             description="Re-verify every stored sample; append verdicts that changed or are of a new "
                                         "verifier version; print each flip as a JSON line on stdout.")
    rescore.add_argument("--db", default=DEFAULT_DB)
    rescore.add_argument("--model", help="only this model")
    rescore.add_argument("--benchmark", help="comma-separated (default: all in the store)")
    rescore.add_argument("--data", type=pair_flag, action="append", default=[], metavar="BENCHMARK=PATH")
    compact = sub.add_parser("compact", help="merge the store's segments into one file per table",
                             description="Rewrite all segments of samples and verdicts as one file each, dropping "
                                         "duplicates. Safe beside a running writer; run it while nothing reads the store.")
    compact.add_argument("--db", default=DEFAULT_DB)
    fsck = sub.add_parser(
        "fsck", help="check a store (every segment, JSON file, lock); --repair sets right what it can",
        description="Check a store: decode every Parquet segment page by page, read runs/ and results/ JSON, and "
                    "list temporary files of killed writers, stale writer locks, files already quarantined and "
                    "verdicts ignored because two writers raced. With --repair: move damaged files to "
                    "<store>/quarantine/ (the row groups that still decode are kept in a new segment), delete old "
                    "temporary files and stale locks; the next `evals run` generates or verifies what went "
                    "missing. Opening a store (run, show, compact, rescore, the app) already moves aside segments "
                    "whose footer is unreadable. Exit code 0: healthy (with --repair: everything repaired); "
                    "1: problems found (without --repair) or left unrepaired; 2: not a store.")
    fsck.add_argument("store", help="the store directory (what --db names)")
    fsck.add_argument("--repair", action="store_true", help="quarantine damaged files, remove stale locks and temp files")
    sub.add_parser("models", help="list the model registry", description="List registry models and their defaults.")
    sub.add_parser("benchmarks", help="list the benchmarks", description="List benchmarks, sources and defaults.")
    _add_verify(sub)
    from .signals_file import add_parser as add_signals  # light: the signal modules import no model

    add_signals(sub)
    _add_judge(sub)
    rate = sub.add_parser(
        "rate", help="Codeforces-style rating from per-problem results and contest standings (offline)",
        description="Rate a model as in DeepSeek-R1 / CodeElo: rank its per-problem results among each contest's "
                    "rated participants, find the performance rating whose Elo-expected place equals that rank, "
                    "average over contests. File formats and rules: evals/judge/rating.py. Prints JSON.")
    rate.add_argument("results", help="JSON: {contest_id: {problem index: [verdict per sample, ...]}}")
    rate.add_argument("contests", nargs="+", help="contest standings JSON files (one contest each)")
    rate.add_argument("--rule", choices=["per_sample", "first_pass"], default="per_sample",
                      help="per_sample: each sample is one virtual participation (default); first_pass: "
                           "samples are attempts in order, failures before the first pass cost points")
    rate.add_argument("-n", type=int, default=None, help="first_pass: attempts allowed per problem")
    rate.add_argument("--all-ratings", help="JSON list of every rated user's rating, for the percentile")
    return parser


def _add_judge(sub: argparse._SubParsersAction) -> None:
    judge = sub.add_parser(
        "judge", help="run a program on a code problem's tests in the sandbox; print the verdict as JSON",
        description="Judge SOLUTION_FILE (Python or C++ source, or a model completion with --completion) on "
                    "the tests of PROBLEM.json (format: README, 'Code judge'). Prints the verdict, and per test "
                    "the verdict, CPU time and peak memory, as JSON. Exit code 0 when accepted, 1 when not, "
                    "2 on bad input, 3 when the sandbox is unavailable. `judge --check` reports the sandbox's "
                    "isolation layers on this machine.")
    judge.add_argument("problem", nargs="?", help="problem JSON file")
    judge.add_argument("solution", nargs="?", help="source file (or a completion with --completion)")
    judge.add_argument("--language", choices=["python", "cpp"], help="default: from the file suffix (.cpp/.cc -> cpp)")
    judge.add_argument("--completion", action="store_true",
                       help="the file is a model completion: judge its last code block after </think>")
    judge.add_argument("--all-tests", action="store_true", help="run every test instead of stopping at the first failure")
    judge.add_argument("--check", action="store_true", help="report the sandbox's layers on this machine and exit")
    judge.add_argument("--ray", nargs="?", const="auto", metavar="ADDRESS",
                       help="judge on a sandbox actor of a Ray cluster (HOST:PORT of its head, or auto when bare); "
                            "with --check, report every node's isolation (needs `pip install 'r1-evals[ray]'`)")


def _add_verify(sub: argparse._SubParsersAction) -> None:
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
    verify.add_argument("--kind", choices=text_reference_kinds(), required=True,
                        help="which verifier (a rule-based kind whose reference is one answer field)")
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


def _run(args: argparse.Namespace) -> int:
    from .runner import Runner

    config = build(RunConfig, {}, args)
    stated = {name for name in ("temperature", "top_p", "max_tokens") if name in vars(args)}  # given as flags
    try:
        results = Runner(config, stated=stated).run()
    except (ValueError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except RuntimeError as exc:  # a backend failed midway: what finished is stored
        print(f"error: {exc}\nFinished samples are in {config.db}; run the same command again to resume.",
              file=sys.stderr)
        return 1
    print(next_steps(config.db, [r["run_id"] for r in results if r.get("run_id")]))
    return 0


def next_steps(db: str, run_ids: Sequence[str]) -> str:
    """Where a run's results are, and the two commands that look at them (paths as given, quoted for a shell)."""
    from pathlib import Path
    from shlex import quote

    out = Path(db).parent / "leaderboards"
    lines = ["", f"results in {db}:"]
    for run_id in run_ids:
        lines.append(f"  {Path(db) / 'results' / (run_id + '.json')}   (metrics; manifest: runs/{run_id}.json)")
    lines += ["next:",
              f"  python -m app --db {quote(db)}                              # browse runs, samples and traces",
              f"  python -m leaderboards build --db {quote(db)} --output {quote(str(out))}   # beside the paper's tables",
              f"  (the table again: python -m evals show --db {quote(db)})"]
    return "\n".join(lines)


def _show_or_rescore(args: argparse.Namespace) -> int:
    from . import report, rescore
    from .results import compute_stored_runs
    from .store import Store
    from .verifiers import VerifierPool

    data = {k: str(v) for k, v in args.data}
    with VerifierPool() as pool:
        store = Store(args.db)
        if args.command == "rescore":
            benches = args.benchmark.split(",") if args.benchmark else None
            flips = rescore.rescore(store, pool, model=args.model, benchmarks=benches, data=data)
            if flips:
                print(rescore.format_flips(flips))
            print(f"{len(flips)} verdicts flipped", file=sys.stderr)
            return 0
        results = compute_stored_runs(store, pool, data, args.model)
    print(json.dumps(results, indent=2) if args.json else report.summary_table(results))
    return 0


def _list(command: str) -> int:
    if command == "models":
        from .models import MODELS

        for spec in MODELS.values():
            think = "opens <think>" if spec.think_prefilled else "no <think> prefill"
            print(f"{spec.name:32} {spec.hub_id:46} {spec.params_b:>7g}B  {think:18} {','.join(spec.benchmarks)}")
    else:
        from .benchmarks import BENCHMARKS

        for b in BENCHMARKS.values():
            print(f"{b.name:14} verifier={b.verifier:7} k={b.default_samples:<3} {b.source}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _build_parser().parse_args(argv)
    return report_errors(_dispatch, args)  # typed errors: their message, their exit code


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "run":
        return _run(args)
    if args.command in ("show", "rescore"):
        return _show_or_rescore(args)
    if args.command == "compact":
        from .store import Store

        for table, (segments, rows) in Store(args.db).compact().items():
            print(f"{table}: {segments} segments" + (f" -> 1 ({rows} rows)" if rows >= 0 else ", nothing to do"))
        return 0
    if args.command == "fsck":
        from .fsck import fsck

        try:
            found = fsck(args.store, repair=args.repair)
        except UsageError as exc:
            print(exc, file=sys.stderr)
            return 2
        for line in found.lines():
            print(line)
        print(f"{args.store}: {len(found.problems)} problem(s)" + (f", {found.unrepaired} left unrepaired" if
              args.repair else "; run with --repair to set them right" if found.problems else ""))
        return 1 if (found.problems and not args.repair) or found.unrepaired else 0
    if args.command in ("models", "benchmarks"):
        return _list(args.command)
    if args.command == "verify":
        from .verify_file import verify_file

        return verify_file(args)
    if args.command == "signals":
        from .signals_file import signals_file

        return signals_file(args)
    if args.command == "rate":
        from dataclasses import asdict

        from .judge import rating

        try:
            results = rating.load_results(args.results)
            contests = [rating.load_contest(path) for path in args.contests]
            missing = [str(c.contest_id) for c in contests if str(c.contest_id) not in results]
            if missing:
                raise rating.RatingDataError(f"{args.results}: no results for contests {missing}; add them or drop "
                                             "those standings files")
            report = rating.rate([(c, results[str(c.contest_id)]) for c in contests], rule=args.rule, n=args.n,
                                 all_ratings=rating.load_ratings(args.all_ratings) if args.all_ratings else None)
        except (rating.RatingDataError, OSError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(json.dumps(asdict(report), indent=2))
        return 0
    if args.command == "judge":
        from .judge.cli import judge_command

        return judge_command(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
