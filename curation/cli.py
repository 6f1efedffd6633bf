"""Command line: argument parsing only; the stages live in their modules.

    python -m curation ingest problems.jsonl --domain math          # 1. prompts
    python -m curation generate --model MODEL --samples 16           # 2. samples
    python -m curation samples add FILE --name NAME                  #    or samples made elsewhere
    python -m curation verify                                        # 3. verdicts and text signals
    python -m curation judge --base-url URL --judge-model NAME       # 3b. optional LLM judge
    python -m curation filter                                        # 4. drop, with a reason each
    python -m curation select --k 3                                  # 5. distinct samples per prompt
    python -m curation decontaminate                                 # 6. benchmark overlap, duplicates
    python -m curation export --target math=600000 --jsonl           # 7. mix, export, data card
    python -m curation run                                           # 3 to 7 in a row
    python -m curation status                                        # the funnel so far

Every stage takes `--workdir` (default runs/curation) and `--config FILE.json|toml` (one section
per stage, keys = the flags' names with underscores); flags override the file. Heavy imports
happen after parsing, so `--help` is instant.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from typing import Any

from evals.config_flags import add_options, build, read_config
from evals.errors import report_errors
from evals.verifiers.registry import rule_kinds

DEFAULT_WORKDIR = "runs/curation"
HELP = {
    "source": "a .jsonl/.json/.csv/.parquet file, or hub:ORG/NAME[@REVISION]",
    "name": "source name used in prompt ids and reports (default: the file stem or dataset id)",
    "domain": "math, code, stem, logic or general (default: each record's `domain` field)",
    "verifier": f"{', '.join(rule_kinds())} (the rule-based kinds of evals.verifiers.registry), or curation's "
                "LLM judge (`judge`), imported or none (default: by domain and what the record has)",
    "skip_bad": "drop records that cannot be used (counted and listed) instead of stopping",
    "samples": "samples per prompt (the review: 16)",
    "shard": "i/N: this machine generates every N-th prompt starting at i",
    "domains": "comma-separated domains to generate for (default: all)",
    "engine_args": "KEY=VALUE option for the vLLM engine (repeatable)",
    "register_only": "generate nothing; register the store's samples (after copying shards in)",
    "workers": "worker processes (default: the number of cores)",
    "require_evaluated": "an equal but unevaluated math answer (4+5 for 9) counts as wrong",
    "limit": "only this many records / prompts / samples (a trial run)",
    "code_block_domains": "comma-separated domains where fenced code in the reasoning is allowed",
    "unverified_domains": "comma-separated domains whose samples are kept without an answer verdict",
    "max_ngram_rate": "also drop samples whose 4-gram repetition rate exceeds this (off by default)",
    "k": "samples kept per prompt at most",
    "max_similarity": "estimated Jaccard (word 5-grams of the reasoning) at which a sample is a near-copy",
    "benchmark_data": "NAME=FILE local copy of a benchmark to decontaminate against, for those whose data does not "
                      "ship with evals (`python -m evals benchmarks` lists them)",
    "hub_benchmarks": "also fetch the benchmarks whose data does not ship with evals from the Hub",
    "near_duplicate": "word 5-gram Jaccard at which two prompts are near duplicates",
    "targets": "DOMAIN=N samples to export for a domain (repeatable); domains not named are taken whole",
    "formats": "comma-separated: messages, prompt_completion",
    "jsonl": "also write JSONL next to the Parquet shards",
    "push_to_hub": "push the export (with its card) to this Hub dataset repo",
}


def _stages() -> dict[str, tuple[str, str, str, tuple[str, ...]]]:
    """stage -> (module:Options, module:function, help, positional fields); imported lazily."""
    return {
        "ingest": ("curation.ingest:IngestOptions", "curation.stages:ingest", "read a prompt set", ("source",)),
        "generate": ("curation.generate:GenerateOptions", "curation.stages:generate",
                     "generate N samples per prompt into the workdir's store (resumable, shardable)", ()),
        "verify": ("curation.verify:VerifyOptions", "curation.stages:verify",
                   "answer verdicts and text signals for every new sample", ()),
        "judge": ("curation.llm_judge:JudgeOptions", "curation.stages:llm_judge",
                  "the LLM judge (a model behind an OpenAI-compatible endpoint) for prompts with verifier "
                  "`judge`", ()),
        "filter": ("curation.filters:FilterOptions", "curation.stages:filter_samples",
                   "keep or drop every verified sample, with the reason", ()),
        "select": ("curation.select:SelectOptions", "curation.stages:select", "up to K distinct samples per prompt", ()),
        "decontaminate": ("curation.decontaminate:DecontaminateOptions", "curation.stages:decontaminate",
                          "flag prompts overlapping benchmarks, and duplicate prompts", ()),
        "export": ("curation.export:ExportOptions", "curation.stages:export",
                   "mix to target sizes and write Parquet/JSONL for TRL, with a data card", ()),
    }


def _resolve(target: str) -> Any:
    import importlib

    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m curation", description=__doc__.split("\n\n")[0],
                                  formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    sub = top.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--workdir", default=DEFAULT_WORKDIR, help=f"the curation workspace (default: {DEFAULT_WORKDIR})")
    common.add_argument("--config", help="JSON or TOML file: one section per stage, keys = flag names")
    for stage, (options, _, helptext, positional) in _stages().items():
        p = sub.add_parser(stage, parents=[common], help=helptext, description=helptext)
        add_options(p, _resolve(options), HELP, positional)
    run = sub.add_parser("run", parents=[common], help="verify, filter, select, decontaminate and export in a row",
                         description="Stages 3 to 7 with the config file's sections (or the defaults).")
    run.add_argument("--from-stage", default="verify", choices=["verify", "filter", "select", "decontaminate", "export"])
    run.add_argument("--ray", nargs="?", const="auto", metavar="ADDRESS",
                     help="run the verify stage on a Ray cluster (HOST:PORT, or auto when bare)")
    samples = sub.add_parser("samples", parents=[common], help="register sample files made elsewhere",
                             description="Register samples made elsewhere (Parquet read in place; JSONL/JSON/CSV "
                                         "converted once). Columns: prompt_id, completion; optional sample_index, "
                                         "model, reasoning, finish_reason, completion_tokens, think_prefilled, "
                                         "imported_correct (an external judge's verdict, for verifier `imported`).")
    samples.add_argument("action", choices=["add"], help="add: register files as a source (replacing one of that name)")
    samples.add_argument("files", nargs="+", help="sample files")
    samples.add_argument("--name", required=True, help="the source's name")
    samples.add_argument("--model", help="model name for files without a model column")
    sub.add_parser("status", parents=[common], help="the funnel so far and the stage history")
    return top


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["synthetic"]:  # the generator is a test fixture now, outside the library
        print("the synthetic corpus moved: from a checkout, run `python -m tests.fixtures.synthetic_corpus "
              + " ".join(argv[1:]) + "`", file=sys.stderr)
        return 2
    args = parser().parse_args(argv)
    return report_errors(_dispatch, args)  # typed errors: their message, their exit code


def _dispatch(args: argparse.Namespace) -> int:
    from curation import stages
    from curation.db import Workspace

    ws = Workspace(args.workdir)
    config = read_config(args.config)
    if args.command == "samples":
        return stages.add_samples(ws, args.files, args.name, args.model)
    if args.command == "status":
        return stages.status(ws)
    plan = [args.command] if args.command != "run" else \
        ["verify", "filter", "select", "decontaminate", "export"][
            ["verify", "filter", "select", "decontaminate", "export"].index(args.from_stage):]
    for stage in plan:
        options_cls, function, _, _ = _stages()[stage]
        given = args if args.command != "run" else argparse.Namespace(**({"ray": args.ray} if args.ray and
                                                                          stage == "verify" else {}))
        options = build(_resolve(options_cls), config.get(stage, {}), given)
        started = time.time()
        counts = _resolve(function)(ws, options)
        print(f"[curation] {stage} done in {time.time() - started:.1f}s: {json.dumps(counts, default=str)}",
              file=sys.stderr)
    return 0
