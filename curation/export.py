"""Stage 7, mix and export: the selected samples of clean prompts, mixed to target sizes per domain,
written in formats TRL reads directly, with a data card.

    python -m curation export --target math=400000 --target code=200000 --target general=200000 --jsonl
    python -m curation export --push-to-hub my-org/my-sft-set --private

<workdir>/export/ gets:
    messages/train-00000-of-000NN.parquet           {"messages": [user, assistant]} (TRL: conversational)
    prompt_completion/train-00000-of-000NN.parquet  {"prompt": [user], "completion": [assistant]}
    (and .jsonl twins with --jsonl), README.md (the data card, with Hub `configs:`), card.json

The assistant turn is "<think>\\n{reasoning}\\n</think>\\n\\n{answer}", the R1 format. Each row also
carries prompt_id, sample_id, domain, source, model and completion_tokens for tracing it back.
A domain with fewer samples than its target gives all it has (the card says so); one with more is
cut to the target in md5(sample_id) order, so the cut is reproducible and unbiased.
"""
from __future__ import annotations

import json
import math
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from evals.errors import ConfigError, SetupError
from evals.verifiers import split_answer_region
from evals.verifiers.answer_region import sample_for_verifier

from .verdicts import CHECKS_VERSION

FORMATS = ("messages", "prompt_completion")
_MESSAGE = pa.struct([("role", pa.string()), ("content", pa.string())])
_META = [("prompt_id", pa.string()), ("sample_id", pa.string()), ("domain", pa.string()),
         ("source", pa.string()), ("model", pa.string()), ("completion_tokens", pa.int32())]
SCHEMAS = {
    "messages": pa.schema([("messages", pa.list_(_MESSAGE)), *_META]),
    "prompt_completion": pa.schema([("prompt", pa.list_(_MESSAGE)), ("completion", pa.list_(_MESSAGE)), *_META]),
}


@dataclass
class ExportOptions:
    """Every field is a flag of `python -m curation export`."""
    targets: dict[str, int] = field(default_factory=dict)  # domain -> samples; a domain not named is taken whole
    formats: list[str] = field(default_factory=lambda: list(FORMATS))
    shard_rows: int = 50_000
    jsonl: bool = False
    output: str | None = None  # default: <workdir>/export
    push_to_hub: str | None = None
    private: bool = False


FINAL = """
CREATE OR REPLACE TABLE final AS
WITH chosen AS (
  SELECT s.sample_id, s.prompt_id, p.domain, p.source,
         row_number() OVER (PARTITION BY p.domain ORDER BY md5(s.sample_id)) AS position
  FROM selection s JOIN prompts p USING (prompt_id)
  ANTI JOIN prompt_flags f USING (prompt_id)
  WHERE s.selected)
SELECT c.sample_id, c.prompt_id, c.domain, c.source, c.position <= coalesce(t.target, 9223372036854775807) AS exported
FROM chosen c LEFT JOIN _targets t USING (domain)
"""


def assistant_turn(completion: str, reasoning: str | None, think_prefilled: bool) -> str:
    """The R1 assistant message: reasoning inside <think>, then the answer."""
    text, prefilled = sample_for_verifier(completion, reasoning, think_prefilled)
    region = split_answer_region(text, think_prefilled=prefilled)
    thought = region.reasoning.strip()
    if thought.startswith("<think>"):
        thought = thought[len("<think>"):].strip()
    return f"<think>\n{thought}\n</think>\n\n{region.answer.strip()}"


def run_export(ws: Any, con: Any, options: ExportOptions) -> dict[str, Any]:
    unknown = [f for f in options.formats if f not in FORMATS]
    if unknown:
        raise ConfigError(f"unknown export format {unknown}; use {FORMATS}")
    targets = pa.table({"domain": list(options.targets), "target": [int(v) for v in options.targets.values()]},
                       schema=pa.schema([("domain", pa.string()), ("target", pa.int64())]))
    con.register("_targets", targets)
    con.execute(FINAL)
    con.unregister("_targets")
    out = Path(options.output) if options.output else ws.root / "export"
    total = con.execute("SELECT count(*) FROM final WHERE exported").fetchall()[0][0]
    shards = max(1, math.ceil(total / options.shard_rows))
    for fmt in FORMATS:  # a re-export replaces the previous one whole, never mixes with it
        shutil.rmtree(out / fmt, ignore_errors=True)
    for fmt in options.formats:
        (out / fmt).mkdir(parents=True, exist_ok=True)
    _write(con, out, options, total, shards)
    from .card import write_card

    card = write_card(con, out, options, shards)
    if options.push_to_hub:
        _push(out, options)
    return {"exported": total, "shards": shards, "output": str(out), "by_domain": card["exported_by_domain"]}


def _rows(con: Any, batch: int) -> Any:
    # completion_tokens from the measures table, not the `checks` view: the same value (one row per sample
    # and version), without the view's joins over every signal verdict and its JSON details
    query = f"""
        SELECT f.sample_id, f.prompt_id, f.domain, f.source, s.model, p.messages, s.completion, s.reasoning,
               s.think_prefilled, m.completion_tokens
        FROM final f JOIN samples s USING (sample_id) JOIN prompts p ON p.prompt_id = f.prompt_id
        JOIN measures m ON m.sample_id = f.sample_id AND m.version = '{CHECKS_VERSION}'
        WHERE f.exported"""
    return con.sql(query).to_arrow_reader(batch)


def _write(con: Any, out: Path, options: ExportOptions, total: int, shards: int) -> None:
    writers: dict[str, Any] = {}
    shard, in_shard = 0, 0
    bar = tqdm(total=total, desc="export", unit="sample", file=sys.stderr)
    try:
        for batch in _rows(con, min(options.shard_rows, 4096)):
            rows = batch.to_pylist()
            start = 0
            while start < len(rows):
                take = rows[start:start + options.shard_rows - in_shard]
                _append(writers, out, options, shard, shards, take)
                start += len(take)
                in_shard += len(take)
                bar.update(len(take))
                if in_shard >= options.shard_rows:
                    _close(writers)
                    shard, in_shard = shard + 1, 0
        if total == 0:  # an empty set still gets its (empty) files, so loaders do not fail on a missing split
            _append(writers, out, options, 0, 1, [])
    finally:
        _close(writers)
        bar.close()


def _append(writers: dict[str, Any], out: Path, options: ExportOptions, shard: int, shards: int,
            rows: list[dict[str, Any]]) -> None:
    records = []
    for r in rows:
        user = [m for m in json.loads(r["messages"]) if m["role"] != "assistant"]
        reply = [{"role": "assistant", "content": assistant_turn(r["completion"] or "", r["reasoning"],
                                                                 bool(r["think_prefilled"]))}]
        meta = {k: r[k] for k, _ in _META}
        records.append({"messages": user + reply, "prompt": user, "completion": reply, **meta})
    for fmt in options.formats:
        name = f"train-{shard:05d}-of-{shards:05d}"
        if fmt not in writers:
            writers[fmt] = [pq.ParquetWriter(out / fmt / f"{name}.parquet", SCHEMAS[fmt], compression="zstd"),
                            (out / fmt / f"{name}.jsonl").open("w", encoding="utf-8") if options.jsonl else None]
        fields = SCHEMAS[fmt].names
        writers[fmt][0].write_table(pa.Table.from_pylist([{k: rec[k] for k in fields} for rec in records],
                                                         schema=SCHEMAS[fmt]))
        if writers[fmt][1]:
            for rec in records:
                writers[fmt][1].write(json.dumps({k: rec[k] for k in fields}, ensure_ascii=False) + "\n")


def _close(writers: dict[str, Any]) -> None:
    for parquet, jsonl in writers.values():
        parquet.close()
        if jsonl:
            jsonl.close()
    writers.clear()


def _push(out: Path, options: ExportOptions) -> None:
    try:
        from huggingface_hub import HfApi
    except ImportError as exc:
        raise SetupError("--push-to-hub needs huggingface_hub: pip install -e '.[hf]'") from exc
    api = HfApi()
    api.create_repo(options.push_to_hub, repo_type="dataset", private=options.private, exist_ok=True)
    api.upload_folder(folder_path=str(out), repo_id=options.push_to_hub, repo_type="dataset",
                      commit_message="curation export (python -m curation export)")
    print(f"[curation] pushed {out} to https://huggingface.co/datasets/{options.push_to_hub}", file=sys.stderr)
