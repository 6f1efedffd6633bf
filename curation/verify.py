"""Stage 3, verify: every sample gets its answer verdict and, where it could still be kept, its
text-signal verdicts and measures (curation/verdicts.py; read together as the `checks` view).

    python -m curation verify [--workers 2] [--batch-size 2048] [--ray [ADDRESS|auto]]

- Answers go through the evaluation's scoring path (`evals.scoring.answer_item`) and its bounded
  verifier pool (hard time limit per item, a worker that hangs is replaced), and are written in the
  store's verdict shape. Identical answer regions against the same reference are verified once: 16
  samples of a prompt mostly end in the same few answers.
- A sample from an evals store that already holds its verdict of the current verifier version and
  the same options (e.g. from `python -m evals rescore`) is not verified again: that verdict is copied.
- Prompts without a rule-based reference: `imported` takes the verdict that came with the sample
  (an external code judge's, say); `judge` waits for `python -m curation judge`; `none` (general
  chat) stays unverified.
- Text signals (the evaluation's four signal verdicts, and a MinHash sketch of the reasoning) are
  measured only on samples that are not truncated and not wrong: the others are dropped whatever
  their text, and measuring them would cost most of the stage.

Under --ray the answer verdicts go to verifier actors and the text-signal batches to Ray tasks spread
over the cluster's CPUs (same inputs, same outputs); the reads and writes of the curation database
stay in this process (the driver). Without --ray, Ray is never imported.

Resumable: rows are committed per batch and only samples without a verdict of the current verifier
version and options, or without measures of the current version, are read, so a killed stage (or a
new sample source, or a verifier upgrade) continues where it stopped.
"""
from __future__ import annotations

import gc
import json
import os
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context
from typing import Any

import pyarrow as pa
from tqdm import tqdm

from evals.config_flags import option
from evals.scoring import answer_item, judge_timeout, verdict_fields
from evals.store import VERDICT_FIELDS
from evals.verifiers import VERIFIER_VERSION, Verdict, VerifierPool, split_answer_region
from evals.verifiers.answer_region import sample_for_verifier
from evals.verifiers.registry import is_rule_based, kind_of

from .checks import RARE_COLLECTIONS, text_checks_batch
from .verdicts import CHECKS_VERSION, VERDICTS, policies, policy

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
    ray: str | None = option(None, metavar="ADDRESS", const="auto",
                             help="verify on a Ray cluster: HOST:PORT of its head, or auto (bare --ray) for this "
                                  "machine's cluster or a new local one; --workers then caps the verifier actors")


MEASURES = pa.schema([("sample_id", pa.string()), ("prompt_id", pa.string()), ("version", pa.string()),
                      ("truncated", pa.bool_()), ("completion_tokens", pa.int32()), ("reasoning_words", pa.int32()),
                      ("sketch", pa.binary()), ("measured_at", pa.float64())])

# Samples without an answer verdict of this version and policy, or without measures of this version; with
# the store's verdict where one of this version and policy exists (`stored_*`: copied, not verified again).
PENDING = f"""
SELECT s.sample_id, s.prompt_id, s.completion, s.reasoning, s.finish_reason, s.completion_tokens,
       s.think_prefilled, s.imported_correct, p.verifier, p.reference, p.verify_opts, p.language,
       {", ".join(f"sv.{c} AS stored_{c}" for c in VERDICT_FIELDS)}
FROM samples s JOIN prompts p USING (prompt_id) JOIN _policies o USING (verifier)
ANTI JOIN (SELECT m.sample_id FROM measures m JOIN prompts p ON p.prompt_id = m.prompt_id
           JOIN _policies o ON o.verifier = p.verifier
           JOIN sample_verdicts a ON a.sample_id = m.sample_id AND a.verifier = p.verifier
           WHERE m.version = $measures AND a.verifier_version = $version
             AND json_extract(a.details, '$.options')::VARCHAR = o.options) done USING (sample_id)
LEFT JOIN store_verdicts sv ON sv.sample_id = s.sample_id AND sv.verifier = p.verifier
     AND sv.verifier_version = $version AND json_extract(sv.details, '$.options')::VARCHAR = o.options
"""


class Verifier:
    def __init__(self, options: VerifyOptions) -> None:
        self.options = options
        workers = options.workers or os.cpu_count() or 1
        self.pool: Any
        if options.ray:  # Ray is imported only here
            from evals.distributed import RayVerifierPool

            from .distributed import SHARE, RayTextExecutor, connect

            connect(options.ray)
            self.pool = RayVerifierPool(options.timeout, options.workers, num_cpus=SHARE)
            self.executor = RayTextExecutor()
        else:
            self.pool = VerifierPool(workers=workers, timeout=options.timeout)
            self.executor = self._executor()
        self.cache: dict[tuple, Verdict] = {}
        self.reused = 0

    def _executor(self) -> ProcessPoolExecutor:
        workers = self.options.workers or os.cpu_count() or 1
        return ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"), initializer=_die_with_parent)

    def submit(self, tasks: list[tuple], slots: list[dict[str, Any]]) -> Future:
        try:
            future = self.executor.submit(text_checks_batch, tasks)
        except BrokenProcessPool:  # a worker died while the executor was idle
            self._replace_executor()
            future = self.executor.submit(text_checks_batch, tasks)
        future.tasks, future.slots, future.executor = tasks, slots, self.executor  # type: ignore[attr-defined]
        return future

    def _replace_executor(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._executor()

    def result(self, future: Future) -> list[dict[str, Any]]:
        """A text-check chunk's results. A worker process killed from outside (the OOM killer, a
        signal) breaks the whole ProcessPoolExecutor; its chunks run again in a fresh one (3 runs at most)."""
        for run in range(1, 4):
            try:
                return future.result()
            except BrokenProcessPool:
                if self.options.ray or run == 3:
                    raise
                if future.executor is self.executor:  # type: ignore[attr-defined]  # not replaced yet
                    self._replace_executor()
                print(f"[curation] verify: a text-check worker died; running its {len(future.tasks)} "  # type: ignore[attr-defined]
                      "samples again", file=sys.stderr)
                future = self.submit(future.tasks, future.slots)  # type: ignore[attr-defined]
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.pool.close()
        self.executor.shutdown(cancel_futures=True)
        if self.options.ray:
            import ray

            ray.shutdown()  # disconnects (and stops the cluster only when this call started it)

    def answers(self, rows: list[dict[str, Any]]) -> list[tuple[dict[str, Any] | None, bool]]:
        """(answer verdict fields, or None when the prompt has no rule-based reference; truncated) per row."""
        keys, todo, out = [], {}, []
        for row in rows:
            text, prefilled = sample_for_verifier(row["completion"] or "", row["reasoning"], bool(row["think_prefilled"]))
            region = split_answer_region(text, finish_reason=row["finish_reason"], think_prefilled=prefilled)
            out.append(region.truncated)
            row["_text"], row["_prefilled"] = text, prefilled
            if row.get("stored_verifier") is not None or not is_rule_based(row["verifier"]):
                keys.append(None)  # the store's verdict is copied; imported, judge, none: decided elsewhere
                continue
            # the verdict depends on the answer region, the truncation state and the reference only
            key = (row["verifier"], row["reference"], row["verify_opts"], region.truncated, region.has_thinking,
                   region.answer)
            keys.append(key)
            if key not in self.cache and key not in todo:
                todo[key] = row
        self._verify(todo)
        return [(self._fields(row, key), truncated) for row, key, truncated in zip(rows, keys, out)]

    def _fields(self, row: dict[str, Any], key: tuple | None) -> dict[str, Any] | None:
        if row.get("stored_verifier") is not None:  # absent for rows that never met an evals store
            self.reused += 1
            return {c: row[f"stored_{c}"] for c in VERDICT_FIELDS}
        if key is None:
            return None
        return verdict_fields(row["verifier"], self.cache[key], policy(row["verifier"], self.options.require_evaluated))

    def _verify(self, todo: dict[tuple, dict[str, Any]]) -> None:
        if len(self.cache) > CACHE_LIMIT:
            self.cache.clear()
        for kind_is_code in (False, True):
            keys = [k for k in todo if (k[0] == "code") == kind_is_code]
            if not keys:
                continue
            items = [answer_item(todo[k]["verifier"], todo[k], json.loads(todo[k]["reference"]),
                                 json.loads(todo[k]["verify_opts"] or "{}"),
                                 require_evaluated=self.options.require_evaluated) for k in keys]
            for key, verdict in zip(keys, self.pool.verify_batch(items, timeout=judge_timeout(items))):
                self.cache[key] = verdict

    def check_batch(self, rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]],
                                                                   list[Future]]:
        """Verdict rows and measures for a batch: answer verdicts now, text signals submitted to the workers."""
        verdicts, measures, futures, tasks, slots = [], [], [], [], []
        now = time.time()
        for row, (fields, truncated) in zip(rows, self.answers(rows)):
            answer = _answer_verdict(row, fields, truncated, self.options.require_evaluated)
            verdicts.append({"sample_id": row["sample_id"], **answer, "created_at": now})
            measure = {"sample_id": row["sample_id"], "prompt_id": row["prompt_id"], "version": CHECKS_VERSION,
                       "truncated": truncated, "completion_tokens": row["completion_tokens"]
                       if row["completion_tokens"] is not None else len(row["completion"] or "") // 4,
                       "measured_at": now}
            measures.append(measure)
            if not truncated and answer["correct"] is not False:
                tasks.append((row["_text"], row["language"], row["_prefilled"], _wants_boxed(row["verifier"]),
                              row["finish_reason"]))
                slots.append(measure)
        for start in range(0, len(tasks), TASK_SIZE):
            futures.append(self.submit(tasks[start:start + TASK_SIZE], slots[start:start + TASK_SIZE]))
        return verdicts, measures, futures


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


def _answer_verdict(row: dict[str, Any], fields: dict[str, Any] | None, truncated: bool,
                    require_evaluated: bool) -> dict[str, Any]:
    """The answer verdict in the store's shape: the verifier's, or the one curation decides itself."""
    if fields is not None:
        return fields
    kind = row["verifier"]
    if truncated:
        correct, reason, method = False, "truncated", None
    elif kind == "imported":
        correct = row["imported_correct"]
        reason, method = {True: "correct", False: "wrong_answer", None: "unverified"}[correct], "imported"
    else:  # "none": general chat; "judge": the generative judge decides later
        correct, reason, method = None, "unverified" if kind == "none" else "awaiting_judge", None
    return {"verifier": kind, "verifier_version": VERIFIER_VERSION, "correct": correct,
            "score": None if correct is None else float(correct), "reason": reason, "extracted": None,
            "normalized": None, "method": method,
            "details": json.dumps({"options": policy(kind, require_evaluated)})}


def _pending(con: Any, params: dict[str, str], batch_size: int) -> Iterator[list[dict[str, Any]]]:
    reader = con.sql(PENDING, params=params).to_arrow_reader(batch_size)
    for batch in reader:
        yield batch.to_pylist()


def verify(ws: Any, con: Any, options: VerifyOptions) -> dict[str, Any]:
    con.register("_policies", pa.table(policies(con, options.require_evaluated)))
    params = {"version": VERIFIER_VERSION, "measures": CHECKS_VERSION}
    total = con.execute(f"SELECT count(*) FROM ({PENDING})", params).fetchall()[0][0]
    if options.limit is not None:
        total = min(total, options.limit)
    print(f"[curation] verify: {total:,} samples without checks of version {VERIFIER_VERSION}/{CHECKS_VERSION}",
          file=sys.stderr)
    writer = con.cursor()  # its own connection: inserts commit while the reader streams
    verifier = Verifier(options)
    bar = tqdm(total=total, desc="verify", unit="sample", file=sys.stderr)
    done, signalled, in_flight = 0, 0, []
    threshold = gc.get_threshold()
    gc.set_threshold(*RARE_COLLECTIONS)
    try:
        for rows in _pending(con, params, options.batch_size):
            rows = rows[: total - done]
            in_flight.append(verifier.check_batch(rows))
            if len(in_flight) > 1:  # the workers measure one batch while this process reads the next
                signalled += _commit(writer, verifier, *in_flight.pop(0))
            done += len(rows)
            bar.update(len(rows))
            if done >= total:
                break
        for batch in in_flight:
            signalled += _commit(writer, verifier, *batch)
    finally:
        gc.set_threshold(*threshold)
        bar.close()
        verifier.close()
        writer.close()
        con.unregister("_policies")
    return {"verified": done, "answers_from_store": verifier.reused, "signals_measured": signalled}


def _commit(writer: Any, verifier: Verifier, verdicts: list[dict[str, Any]], measures: list[dict[str, Any]],
            futures: list[Future]) -> int:
    measured = 0
    for future in futures:
        for measure, found in zip(future.slots, verifier.result(future)):  # type: ignore[attr-defined]
            verdicts.extend({"sample_id": measure["sample_id"], **row, "created_at": measure["measured_at"]}
                            for row in found["signals"])
            measure.update(reasoning_words=found["reasoning_words"], sketch=found["sketch"])
            measured += 1
    for table, rows, schema in (("sample_verdicts", verdicts, VERDICTS), ("measures", measures, MEASURES)):
        writer.register("_batch", pa.Table.from_pylist(rows, schema=schema))
        writer.execute(f"INSERT OR REPLACE INTO {table} BY NAME SELECT * FROM _batch")
        writer.unregister("_batch")
    return measured
