"""`python -m evals verify`: verify a JSONL file of completions, streaming.

Lines are read and verified in chunks, so a file of any size runs in bounded
memory and its verdicts appear as they are decided. A line that is not valid
UTF-8, not a JSON object, or lacks a field gets an error record (with its line number) in the output
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

from .records import BadLine, open_input, scan_lines
from .verifiers import VerifierPool
from .verifiers.pool import DEFAULT_TIMEOUT_S
from .verifiers.registry import answer_options

CHUNK = 256


def _records(stream: IO[bytes], name: str, args: argparse.Namespace) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line number, record) or (line number, error message) for every non-blank line."""
    for number, row in scan_lines(stream, name):
        if isinstance(row, BadLine):
            yield number, row.message
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
    source, name = open_input(args.file)
    out = sys.stdout if not args.output else open(args.output, "w", encoding="utf-8")
    counts: Counter[str] = Counter()
    started = time.monotonic()
    with source, VerifierPool(workers=args.workers, timeout=args.timeout or DEFAULT_TIMEOUT_S) as pool:
        for chunk in _chunks(_records(source, name, args)):
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
