"""Where samples come from: the evals store that `generate` writes, or files a user brings.

    python -m curation samples add outputs.parquet --name r1-run3 [--model deepseek-r1]

Each source is one row of `sample_sources` holding the SELECT that maps it onto the common shape
of the `samples` view (sample_id, prompt_id, sample_index, model, completion, reasoning,
finish_reason, completion_tokens, think_prefilled, imported_correct, source). Parquet files are
read where they are; JSONL, JSON and CSV are converted once to Parquet in the workdir. The text
is never copied into the database.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from evals.errors import DataError
from evals.store import Store

from .db import Workspace, count, create_samples_view, sql_list

COLUMNS: dict[str, str] = {  # the samples view's columns and their types
    "prompt_id": "VARCHAR", "sample_index": "INTEGER", "model": "VARCHAR", "completion": "VARCHAR",
    "reasoning": "VARCHAR", "finish_reason": "VARCHAR", "completion_tokens": "INTEGER",
    "think_prefilled": "BOOLEAN", "imported_correct": "BOOLEAN",
}
REQUIRED = ("prompt_id", "completion")


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _select(source_sql: str, present: set[str], name: str, model: str | None) -> str:
    exprs = []
    for column, kind in COLUMNS.items():
        fallback = {"model": _q(model or name), "sample_index": "CAST(file_row_number AS INTEGER)"}.get(column)
        if column in present:
            cast = f"CAST({column} AS {kind})"
            exprs.append(f"{f'coalesce({cast}, {fallback})' if fallback else cast} AS {column}")
        elif fallback:
            exprs.append(f"{fallback} AS {column}")
        else:
            exprs.append(f"NULL::{kind} AS {column}")
    key = "prompt_id || '/' || model || '/' || sample_index"
    return f"SELECT {key} AS sample_id, *, {_q(name)} AS source FROM (SELECT {', '.join(exprs)} FROM {source_sql})"


def add_files(ws: Workspace, con: duckdb.DuckDBPyConnection, paths: list[str], name: str,
              model: str | None = None) -> dict[str, Any]:
    """Register sample files as source `name` (replacing a source of that name); returns counts."""
    files = [Path(p) for p in paths]
    missing = [str(p) for p in files if not p.exists()]
    if missing:
        raise DataError(f"no such sample file: {', '.join(missing)}")
    parquet = [p for p in files if p.suffix == ".parquet"]
    others = [p for p in files if p.suffix != ".parquet"]
    if others:
        parquet.append(_convert(ws, others, name))
    located = sql_list([str(p.resolve()) for p in parquet])
    names = {d[0] for d in con.execute(f"DESCRIBE SELECT * FROM read_parquet({located}, union_by_name = true)")
             .fetchall()}
    lacking = [c for c in REQUIRED if c not in names]
    if lacking:
        raise DataError(f"{', '.join(map(str, parquet))}: sample files need columns {list(REQUIRED)}; lacking "
                        f"{lacking} (prompt_id must name an ingested prompt; rename your columns or re-export)")
    source_sql = f"read_parquet({located}, union_by_name = true, file_row_number = true)"
    select = _select(source_sql, names, name, model)
    return _register(con, name, "files", located, model, None, select)


def _convert(ws: Workspace, files: list[Path], name: str) -> Path:
    """JSONL / JSON / CSV to one Parquet file in the workdir, numbering samples per prompt if unnumbered."""
    from evals.records import read_records

    rows, seen = [], {}
    for path in files:
        for number, record in read_records(path):
            if not isinstance(record, dict) or not all(record.get(c) is not None for c in REQUIRED):
                raise DataError(f"{path}: record {number} needs fields {list(REQUIRED)}; fix or drop it")
            row = {c: record.get(c) for c in COLUMNS}
            if row.get("sample_index") is None:
                row["sample_index"] = seen.get(row["prompt_id"], 0)
            seen[row["prompt_id"]] = max(seen.get(row["prompt_id"], 0), int(row["sample_index"]) + 1)
            rows.append(row)
    target = ws.root / "imported" / f"{name}.parquet"
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name("." + target.name + ".tmp")
    arrow = {"VARCHAR": pa.string(), "INTEGER": pa.int32(), "BOOLEAN": pa.bool_()}
    schema = pa.schema([(c, arrow[kind]) for c, kind in COLUMNS.items()])
    try:
        table = pa.Table.from_pylist(rows, schema=schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise DataError(f"{', '.join(map(str, files))}: a column has the wrong type ({exc}); expected {COLUMNS}") from exc
    pq.write_table(table, temp, compression="zstd")
    temp.replace(target)
    return target


def add_store(con: duckdb.DuckDBPyConnection, store_dir: Path, name: str, model: str, sampling_hash: str) -> None:
    """Register the samples `generate` wrote to an evals store (joined to prompts by prompt hash)."""
    store = Store(store_dir)  # its samples relation is embedded in the view: segments written later are read too
    relation = store.samples_sql(model=model, sampling_hash=sampling_hash)
    select = (f"SELECT p.prompt_id || '/' || s.model || '/' || s.sample_index AS sample_id, p.prompt_id, "
              f"s.sample_index, s.model, s.completion, s.reasoning, s.finish_reason, s.completion_tokens, "
              f"s.think_prefilled, NULL::BOOLEAN AS imported_correct, {_q(name)} AS source "
              f"FROM {relation} s JOIN prompts p USING (prompt_hash)")
    _register(con, name, "store", _q(store.segment_glob("samples")), model, sampling_hash, select,
              check_duplicates=False)


def _register(con: duckdb.DuckDBPyConnection, name: str, kind: str, location: str, model: str | None,
              sampling_hash: str | None, select: str, check_duplicates: bool = True) -> dict[str, Any]:
    try:
        con.execute("BEGIN")
        con.execute("DELETE FROM sample_sources WHERE source = ?", [name])
        con.execute("INSERT INTO sample_sources VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [name, kind, location, model, sampling_hash, select, time.time()])
        create_samples_view(con)
        rows = count(con, "SELECT count(*) FROM samples WHERE source = ?", [name])
        if check_duplicates:
            dupes = count(con, "SELECT count(*) FROM (SELECT sample_id FROM samples GROUP BY ALL HAVING count(*) > 1)")
            if dupes:
                raise DataError(f"source {name!r} repeats {dupes:,} sample ids (prompt_id/model/sample_index) that are "
                                "already registered or repeated in the files; give each sample its own sample_index, "
                                "or a --model name of its own")
            unknown = count(con, f"SELECT count(*) FROM samples s ANTI JOIN prompts p USING (prompt_id) "
                                 f"WHERE s.source = {_q(name)}")
            if unknown:
                example = con.execute("SELECT s.prompt_id FROM samples s ANTI JOIN prompts p USING (prompt_id) "
                                      "WHERE s.source = ? LIMIT 1", [name]).fetchall()[0][0]
                raise DataError(f"source {name!r}: {unknown:,} samples name prompts that were never ingested "
                                f"(e.g. {example!r}); ingest their prompt set first")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        create_samples_view(con)
        raise
    return {"source": name, "samples": rows}

