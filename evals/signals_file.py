"""`python -m evals signals`: the text signals of completions in a JSONL file (or of one text file).

Each output line holds the id and the four signal verdicts (language, format, repetition,
readability) with their details. A bad line gets an error record naming its line number, and the
rest of the file goes on.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from typing import Any

from .records import BadLine, open_input, read_text, scan_lines
from .verifiers.readability import Thresholds
from .verifiers.signals import SignalOptions, text_signals


def _options(args: argparse.Namespace, row: dict[str, Any]) -> SignalOptions:
    return SignalOptions(template=args.template, require_boxed=args.require_boxed,
                         target_language=row.get("target_language") or args.target,
                         thresholds=Thresholds(args.max_paragraph_words, args.max_code_blocks, args.max_mixed_language))


def _signals(args: argparse.Namespace, row: dict[str, Any]) -> dict[str, Any]:
    found = text_signals(row["completion"], prompt=row.get("prompt"), think_prefilled=args.think_prefilled,
                         finish_reason=row.get("finish_reason"), options=_options(args, row))
    return {name: {"correct": v.correct, "score": v.score, "reason": v.reason, "details": v.details}
            for name, v in found.items()}


def signals_file(args: argparse.Namespace) -> int:
    if args.text:
        row = {"completion": read_text(args.file, "completion"), "prompt": args.prompt}
        print(json.dumps({"id": args.file, **_signals(args, row)}, ensure_ascii=False, indent=2))
        return 0
    stream, source = open_input(args.file)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    tally: Counter = Counter()
    with stream, out:
        for number, row in scan_lines(stream, source):
            try:
                if isinstance(row, BadLine):
                    raise ValueError(row.message)
                if not isinstance(row.get(args.completion_field), str):
                    raise ValueError(f"expected an object with a string field {args.completion_field!r} "
                                     "(name another with --completion-field)")
                row["completion"] = row[args.completion_field]
                record = {"id": row.get("id", number), **_signals(args, row)}
                tally.update(name for name, v in record.items() if name != "id" and not v["correct"])
            except ValueError as exc:
                print(f"{source}:{number}: {exc}", file=sys.stderr)
                record, tally["error"] = {"id": number, "error": str(exc)}, tally["error"] + 1
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"failed: {dict(tally) or 'none'}", file=sys.stderr)
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "signals", help="language consistency, format, repetition and readability of completions",
        description="Read JSON lines with a completion (and optional id, prompt, finish_reason, target_language); "
                    "write one JSON line per input with the four text-signal verdicts. With --text, read FILE as "
                    "one completion and print its signals.")
    p.add_argument("file", help="input JSONL file ('-' for stdin), or a text file with --text")
    p.add_argument("--text", action="store_true", help="FILE is one completion as plain text")
    p.add_argument("--prompt", help="with --text: the prompt, whose language is the target by default")
    p.add_argument("--output", "-o", help="output JSONL file (default: stdout)")
    p.add_argument("--completion-field", default="completion", help="field holding the model output")
    p.add_argument("--target", help="target language (e.g. en, zh); default: the prompt's language, else en")
    p.add_argument("--template", choices=["r1", "r1_zero"], default="r1", help="expected format")
    p.add_argument("--require-boxed", action="store_true", help="the answer must hold \\boxed{}")
    p.add_argument("--think-prefilled", action="store_true", help="the chat template opened <think> in the prompt")
    p.add_argument("--max-paragraph-words", type=int, default=Thresholds.max_paragraph_words)
    p.add_argument("--max-code-blocks", type=int, default=Thresholds.max_code_blocks)
    p.add_argument("--max-mixed-language", type=float, default=Thresholds.max_mixed_language,
                   help="largest foreign share of the chain of thought that still passes")
