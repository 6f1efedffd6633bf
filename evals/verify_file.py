"""`python -m evals verify`: verify a JSONL file of completions, streaming.

Lines are read and verified in chunks, so a file of any size runs in bounded
memory and its verdicts appear as they are decided. A line that is not valid
JSON or lacks a field gets an error record (with its line number) in the output
and a message on stderr; the rest of the file goes on.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterator
from typing import IO, Any

from .verifiers import VerifierPool
from .verifiers.pool import DEFAULT_TIMEOUT_S
from .verifiers.registry import answer_options

CHUNK = 256


def _records(stream: IO[str], args: argparse.Namespace) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line number, record) or (line number, error message) for every non-blank line."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, f"not valid JSON ({exc.msg} at column {exc.colno})"
            continue
        if not isinstance(row, dict):
            yield number, "expected a JSON object"
            continue
        missing = [f for f in (args.completion_field, args.answer_field) if row.get(f) is None]
        if missing:
            yield number, f"missing field(s) {missing}; name others with --completion-field / --answer-field"
        elif not isinstance(row[args.completion_field], str):
            yield number, f"field {args.completion_field!r} must be a string"
        else:
            yield number, row


def _chunks(records: Iterator[tuple[int, Any]]) -> Iterator[list[tuple[int, Any]]]:
    chunk: list[tuple[int, Any]] = []
    for rec in records:
        chunk.append(rec)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def verify_file(args: argparse.Namespace) -> int:
    source = sys.stdin if args.file == "-" else open(args.file, encoding="utf-8")
    out = sys.stdout if not args.output else open(args.output, "w", encoding="utf-8")
    name = "<stdin>" if args.file == "-" else args.file
    counts: Counter[str] = Counter()
    started = time.monotonic()
    with source, VerifierPool(workers=args.workers, timeout=args.timeout or DEFAULT_TIMEOUT_S) as pool:
        for chunk in _chunks(_records(source, args)):
            items = [
                (
                    args.kind,
                    r[args.completion_field],
                    r[args.answer_field],
                    {"finish_reason": r.get("finish_reason"), **answer_options(args.kind, think_prefilled=args.think_prefilled)},
                )
                for _, r in chunk
                if isinstance(r, dict)
            ]
            verdicts = iter(pool.verify_batch(items))
            for number, rec in chunk:
                if isinstance(rec, str):
                    print(f"{name}:{number}: {rec}", file=sys.stderr)
                    counts["bad_line"] += 1
                    out.write(json.dumps({"id": None, "line": number, "error": rec}) + "\n")
                    continue
                v = next(verdicts)
                counts[v.reason] += 1
                row = {"id": rec.get("id", rec.get("unique_id", number)), "line": number, **v.to_dict()}
                out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            out.flush()
            done = sum(counts.values())
            print(f"verified {done} lines ({done / (time.monotonic() - started):.0f}/s)", file=sys.stderr)
    if out is not sys.stdout:
        out.close()
    total = sum(counts.values())
    summary = ", ".join(f"{k} {v}" for k, v in counts.most_common())
    print(f"{name}: {total} lines: {summary}", file=sys.stderr)
    return 1 if counts["bad_line"] else 0
