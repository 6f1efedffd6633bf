"""Stage 3, verify: every sample gets its answer verdict and, where it could still be kept, its
text signals, as one row of `checks`.

    python -m curation verify [--workers 2] [--batch-size 2048]

- Answers go through the evaluation's bounded verifier pool (hard time limit per item, a worker
  that hangs is replaced). Identical answer regions against the same reference are verified once:
  16 samples of a prompt mostly end in the same few answers.
- Prompts without a rule-based reference: `imported` takes the verdict that came with the sample
  (an external code judge's, say); `judge` waits for `python -m curation judge`; `none` (general
  chat) stays unverified.
- Text signals (format, language consistency, tail loop, longest paragraph, code blocks, and a
  MinHash sketch of the reasoning) are measured only on samples that are not truncated and not
  wrong: the others are dropped whatever their text, and measuring them would cost most of the
  stage.

Resumable: rows are committed per batch and only samples without a row of the current verifier
and signal versions are read, so a killed stage (or a new sample source, or a verifier upgrade)
continues where it stopped.
"""
from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from typing import Any

import pyarrow as pa
from tqdm import tqdm

from evals.scoring import judge_timeout
from evals.verifiers import VERIFIER_VERSION, Verdict, VerifierPool, split_answer_region
from evals.verifiers.answer_region import sample_for_verifier
from evals.verifiers.registry import answer_options, is_rule_based, kind_of
from evals.verifiers.verdict import SIGNALS_VERSION

from .checks import text_checks_batch

CHECKS_VERSION = f"{SIGNALS_VERSION}+curation.1"  # bump when checks.py measures differently
TASK_SIZE = 64  # samples per worker task
CACHE_LIMIT = 500_000


@dataclass
class VerifyOptions:
    """Every field is a flag of `python -m curation verify`."""
    workers: int | None = None  # default: the number of cores
    batch_size: int = 2048  # samples read and committed together
    timeout: float = 5.0  # seconds per answer verdict
    limit: int | None = None  # verify at most N samples in this call (a trial run)
    # an equal but unevaluated math answer (`4+5` for 9) is wrong: SFT data must show the result
    require_evaluated: bool = True


CHECKS = pa.schema([  # the `checks` table (curation/db.py), for the rows of one batch
    ("sample_id", pa.string()), ("prompt_id", pa.string()), ("verifier", pa.string()),
    ("verifier_version", pa.string()), ("signals_version", pa.string()), ("correct", pa.bool_()),
    ("reason", pa.string()), ("extracted", pa.string()), ("method", pa.string()), ("details", pa.string()),
    ("truncated", pa.bool_()), ("completion_tokens", pa.int32()), ("reasoning_words", pa.int32()),
    ("format_ok", pa.bool_()), ("format_problems", pa.string()), ("language", pa.string()),
    ("language_score", pa.float64()), ("foreign_languages", pa.string()), ("ngram_rate", pa.float64()),
    ("loop_unit_tokens", pa.int32()), ("loop_repeats", pa.float64()), ("longest_paragraph", pa.int32()),
    ("code_blocks", pa.int32()), ("sketch", pa.binary()), ("checked_at", pa.float64()),
])

PENDING = """
SELECT s.sample_id, s.prompt_id, s.completion, s.reasoning, s.finish_reason, s.completion_tokens,
       s.think_prefilled, s.imported_correct, p.verifier, p.reference, p.verify_opts, p.language
FROM samples s JOIN prompts p USING (prompt_id)
ANTI JOIN (SELECT sample_id FROM checks WHERE verifier_version = ? AND signals_version = ?) c USING (sample_id)
"""


class Verifier:
    def __init__(self, options: VerifyOptions) -> None:
        self.options = options
        workers = options.workers or os.cpu_count() or 1
        self.pool = VerifierPool(workers=workers, timeout=options.timeout)
        self.executor = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"),
                                            initializer=_die_with_parent)
        self.cache: dict[tuple, Verdict] = {}

    def close(self) -> None:
        self.pool.close()
        self.executor.shutdown(cancel_futures=True)

    def answers(self, rows: list[dict[str, Any]]) -> list[tuple[Verdict | None, bool, str]]:
        """(answer verdict or None when the prompt has no rule-based reference, truncated, reasoning) per row."""
        keys, todo, out = [], {}, []
        for row in rows:
            text, prefilled = sample_for_verifier(row["completion"] or "", row["reasoning"], bool(row["think_prefilled"]))
            region = split_answer_region(text, finish_reason=row["finish_reason"], think_prefilled=prefilled)
            reasoning = region.reasoning if region.reasoning.strip() else text
            out.append((None, region.truncated, reasoning))
            row["_text"], row["_prefilled"] = text, prefilled
            if not is_rule_based(row["verifier"]):  # imported, judge, none: decided elsewhere
                keys.append(None)
                continue
            # the verdict depends on the answer region, the truncation state and the reference only
            key = (row["verifier"], row["reference"], row["verify_opts"], region.truncated, region.has_thinking,
                   region.answer)
            keys.append(key)
            if key not in self.cache and key not in todo:
                todo[key] = row
        self._verify(todo)
        return [(self.cache[key] if key else None, truncated, reasoning)
                for key, (_, truncated, reasoning) in zip(keys, out)]

    def _verify(self, todo: dict[tuple, dict[str, Any]]) -> None:
        if len(self.cache) > CACHE_LIMIT:
            self.cache.clear()
        for kind_is_code in (False, True):
            keys = [k for k in todo if (k[0] == "code") == kind_is_code]
            if not keys:
                continue
            items = []
            for key in keys:
                row = todo[key]
                opts = {**json.loads(row["verify_opts"] or "{}"), "finish_reason": row["finish_reason"],
                        **answer_options(row["verifier"], require_evaluated=self.options.require_evaluated,
                                         think_prefilled=row["_prefilled"])}
                items.append((row["verifier"], row["_text"], json.loads(row["reference"]), opts))
            for key, verdict in zip(keys, self.pool.verify_batch(items, timeout=judge_timeout(items))):
                self.cache[key] = verdict

    def check_batch(self, rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[Future]]:
        """Checks rows for a batch: answer verdicts now, text signals submitted to the workers."""
        results, futures, tasks, slots = [], [], [], []
        for row, (verdict, truncated, reasoning) in zip(rows, self.answers(rows)):
            check = _answer_columns(row, verdict, truncated)
            results.append(check)
            if not truncated and check["correct"] is not False:
                tasks.append((row["_text"], reasoning, row["language"], row["_prefilled"],
                              _wants_boxed(row["verifier"])))
                slots.append(check)
        for start in range(0, len(tasks), TASK_SIZE):
            future = self.executor.submit(text_checks_batch, tasks[start:start + TASK_SIZE])
            future.slots = slots[start:start + TASK_SIZE]  # type: ignore[attr-defined]
            futures.append(future)
        return results, futures


def _wants_boxed(kind: str) -> bool:
    """The format check asks for \\boxed{} where the kind's prompts did (not for curation's own kinds)."""
    return is_rule_based(kind) and kind_of(kind).wants_boxed


def _die_with_parent() -> None:
    """Linux: a worker whose parent is killed (Ctrl-C twice, SIGKILL) is killed too, not left measuring."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _answer_columns(row: dict[str, Any], verdict: Verdict | None, truncated: bool) -> dict[str, Any]:
    kind = row["verifier"]
    check = {"sample_id": row["sample_id"], "prompt_id": row["prompt_id"], "verifier": kind,
             "verifier_version": VERIFIER_VERSION, "signals_version": CHECKS_VERSION, "truncated": truncated,
             "completion_tokens": row["completion_tokens"] if row["completion_tokens"] is not None
             else len(row["completion"] or "") // 4, "extracted": None, "method": None, "details": None,
             "checked_at": time.time()}
    if verdict is not None:
        check.update(correct=verdict.correct, reason=verdict.reason, extracted=verdict.extracted,
                     method=verdict.method, details=json.dumps(verdict.details, default=str, ensure_ascii=False))
    elif truncated:
        check.update(correct=False, reason="truncated")
    elif kind == "imported":
        correct = row["imported_correct"]
        check.update(correct=correct, reason={True: "correct", False: "wrong_answer", None: "unverified"}[correct],
                     method="imported")
    else:  # "none": general chat; "judge": the generative judge decides later
        check.update(correct=None, reason="unverified" if kind == "none" else "awaiting_judge")
    return check


def _pending(con: Any, batch_size: int) -> Iterator[list[dict[str, Any]]]:
    reader = con.sql(PENDING, params=[VERIFIER_VERSION, CHECKS_VERSION]).to_arrow_reader(batch_size)
    for batch in reader:
        yield batch.to_pylist()


def verify(ws: Any, con: Any, options: VerifyOptions) -> dict[str, Any]:
    total = con.execute(f"SELECT count(*) FROM ({PENDING})", [VERIFIER_VERSION, CHECKS_VERSION]).fetchall()[0][0]
    if options.limit is not None:
        total = min(total, options.limit)
    print(f"[curation] verify: {total:,} samples without checks of version {VERIFIER_VERSION}/{CHECKS_VERSION}",
          file=sys.stderr)
    writer = con.cursor()  # its own connection: inserts commit while the reader streams
    verifier = Verifier(options)
    bar = tqdm(total=total, desc="verify", unit="sample", file=sys.stderr)
    done, signalled, in_flight = 0, 0, []
    try:
        for rows in _pending(con, options.batch_size):
            rows = rows[: total - done]
            results, futures = verifier.check_batch(rows)
            in_flight.append((results, futures))
            if len(in_flight) > 1:  # the workers measure one batch while this process reads the next
                signalled += _commit(writer, *in_flight.pop(0))
            done += len(rows)
            bar.update(len(rows))
            if done >= total:
                break
        for results, futures in in_flight:
            signalled += _commit(writer, results, futures)
    finally:
        bar.close()
        verifier.close()
        writer.close()
    return {"verified": done, "signals_measured": signalled}


def _commit(writer: Any, results: list[dict[str, Any]], futures: list[Future]) -> int:
    measured = 0
    for future in futures:
        for slot, signals in zip(future.slots, future.result()):  # type: ignore[attr-defined]
            slot.update(signals)
            measured += 1
    table = pa.Table.from_pylist(results, schema=CHECKS)
    writer.register("_checks_batch", table)
    writer.execute("INSERT OR REPLACE INTO checks BY NAME SELECT * FROM _checks_batch")
    writer.unregister("_checks_batch")
    return measured
