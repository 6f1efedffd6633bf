"""Command line: argument parsing only.

    python -m training task arithmetic --n 256 --out prompts.jsonl     # a small verifiable prompt set
    python -m training grpo --data prompts.jsonl                       # GRPO, CPU preset
    python -m training grpo --config grpo.toml                         # e.g. preset = "r1_reasoning"
    python -m training sft --data runs/curation/export                 # SFT on a curation export
    python -m training distill --preset distill_qwen_7b --model Qwen/Qwen2.5-Math-7B --data EXPORT
    python -m training distill --teacher MODEL --data EXPORT           # on-policy distillation (TRL)
    python -m training presets                                         # the paper's settings, mapped to TRL

`--config FILE` (TOML or JSON) holds the same keys as the flags, with underscores, either at the top
level or in a section named after the command; flags override it. The checkpoint lands in
<output_dir>/final and is evaluated with `python -m evals run --model <output_dir>/final`.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from evals.config_flags import add_options, build, read_config
from evals.errors import report_errors
from evals.verifiers.registry import rule_kinds

HELP = {
    "preset": "the paper's settings to start from (see `python -m training presets`)",
    "model": "registry name (python -m evals models), Hub id or local path",
    "output_dir": "where the run writes run.json, metrics.jsonl and final/ (default: runs/train/COMMAND-PRESET)",
    "data": "GRPO: a prompt set (.jsonl/.json/.csv/.parquet, hub:ORG/NAME); SFT: curation export dirs or files",
    "domain": "math, code, stem, logic or general (default: each record's `domain`)",
    "verifier": f"{', '.join(rule_kinds())} (default: by domain and what the record has)",
    "rewards": "comma-separated: accuracy, format, language",
    "reward_weights": "comma-separated weights, one per reward",
    "format_template": "format reward template: r1 or r1_zero",
    "require_boxed": "format reward: the answer must hold \\boxed{}",
    "num_generations": "group size G (completions per prompt)",
    "prompts_per_step": "distinct prompts per optimizer step",
    "rollout_minibatches": "optimizer steps per rollout (the paper: 16)",
    "epsilon": "clip ratio",
    "beta": "KL coefficient",
    "ref_sync_steps": "replace the reference policy with the current one every N steps (0: never)",
    "vllm": "rollouts with vLLM: auto, off, colocate, server",
    "vllm_server_url": "base URL of a `trl vllm-serve` server (--vllm server)",
    "verify_workers": "verifier worker processes for the accuracy reward",
    "require_evaluated": "accuracy reward: an equal but unevaluated math answer (4+5 for 9) earns 0",
    "log_rollouts": "write every scored completion and its verdicts to rollouts.jsonl",
    "lora": "train a LoRA adapter (rank 16, merged into the saved checkpoint)",
    "save_steps": "also save a resumable checkpoint every N steps (0: only the final model)",
    "resume_from": "checkpoint directory to resume from",
    "limit": "only the first N prompts / examples",
    "trl": "any other TRL config field, KEY=VALUE (repeatable)",
    "batch_size": "sequences per optimizer step",
    "lr_min_ratio": "cosine decay ends at this fraction of the learning rate",
    "teacher": "distill on-policy from this teacher (TRL DistillationTrainer) instead of SFT on its samples",
    "max_completion_length": "tokens generated per completion",
}
COMMANDS = {
    "grpo": ("training.config:GRPOOptions", "GRPO with the evals verifiers as rewards"),
    "sft": ("training.config:SFTOptions", "supervised fine-tuning on curation exports (cold start)"),
    "distill": ("training.config:SFTOptions", "distillation: SFT of a student on teacher samples, or on-policy"),
}


def _options_class(target: str) -> type:
    from importlib import import_module

    module, _, name = target.partition(":")
    return getattr(import_module(module), name)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m training", description=__doc__.split("\n\n")[0],
                                  formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    sub = top.add_subparsers(dest="command", required=True)
    for command, (target, helptext) in COMMANDS.items():
        p = sub.add_parser(command, help=helptext, description=helptext)
        p.add_argument("--config", help="TOML or JSON file with the same keys as the flags")
        add_options(p, _options_class(target), HELP)
    sub.add_parser("presets", help="print the presets and the TRL settings they become")
    task = sub.add_parser("task", help="write a small verifiable prompt set", description="write a prompt set")
    task.add_argument("name", choices=["arithmetic"])
    task.add_argument("--n", type=int, default=256, help="problems (default: 256)")
    task.add_argument("--seed", type=int, default=0)
    task.add_argument("--out", required=True, help="JSONL file to write")
    return top


def _print_presets() -> None:
    from .presets import GRPO_NOTES, GRPO_PRESETS, SFT_NOTES, SFT_PRESETS

    for title, presets, notes in (("GRPO", GRPO_PRESETS, GRPO_NOTES), ("SFT / distill", SFT_PRESETS, SFT_NOTES)):
        print(f"## {title} presets")
        for name, values in presets.items():
            print(f"{name}: {json.dumps(values)}")
        print(f"\n## {title}: how they map onto TRL")
        for note in notes:
            print(f"- {note}")
        print()


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return report_errors(_dispatch, args)  # typed errors: their message, their exit code


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "presets":
        _print_presets()
        return 0
    if args.command == "task":
        from .tasks import write

        print(write(args.name, args.n, args.out, args.seed))
        return 0
    config = read_config(args.config)
    section = config[args.command] if isinstance(config.get(args.command), dict) else config
    options = build(_options_class(COMMANDS[args.command][0]), section, args)
    if args.command == "grpo":
        from .grpo import run as run_grpo

        final = run_grpo(options)
    else:
        from .sft import run as run_sft

        final = run_sft(options, args.command)
    print(f"[training] checkpoint: {final}\n[training] evaluate it: python -m evals run --model {final}",
          file=sys.stderr)
    return 0
