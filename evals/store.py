"""The store: append-only Parquet segments, read through DuckDB views. The only code that writes it.

    <db>/samples/*.parquet    one row per completion, keyed by (model, revision, prompt_hash,
                              sampling_hash, sample_index)
    <db>/verdicts/*.parquet   one row per (sample key, verifier, verifier_version): a re-score adds
                              rows, it never overwrites them, so flips can be listed
    <db>/runs/<run_id>.json   the resolved config and manifest of a run (model, backend, data ...)
    <db>/results/<run_id>.json  its metrics

Why segments and not one DuckDB file: a DuckDB file admits one writing process, and while it is
open nobody else can even read it. Here a writer buffers rows and flushes them every second (or
256 rows) into a new file written under a temporary name and renamed, so readers (the app, a
second shard, curation) only ever see whole segments, a SIGKILL loses at most the last second,
and shards from other machines merge by copying files.
"""
from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

SCHEMA_VERSION = 1
KEY = ("model", "revision", "prompt_hash", "sampling_hash", "sample_index")

SAMPLES = pa.schema([
    ("model", pa.string()), ("revision", pa.string()), ("prompt_hash", pa.string()),
    ("sampling_hash", pa.string()), ("sample_index", pa.int32()),
    ("benchmark", pa.string()), ("problem_id", pa.string()), ("run_id", pa.string()), ("backend", pa.string()),
    ("messages", pa.string()), ("prompt_text", pa.string()), ("completion", pa.string()),
    ("reasoning", pa.string()), ("finish_reason", pa.string()), ("think_prefilled", pa.bool_()),
    ("prompt_tokens", pa.int32()), ("completion_tokens", pa.int32()), ("seed", pa.int64()),
    ("created_at", pa.float64()), ("schema_version", pa.int16()),
])
VERDICTS = pa.schema([
    ("model", pa.string()), ("revision", pa.string()), ("prompt_hash", pa.string()),
    ("sampling_hash", pa.string()), ("sample_index", pa.int32()),
    ("benchmark", pa.string()), ("problem_id", pa.string()), ("verifier", pa.string()),
    ("verifier_version", pa.string()), ("correct", pa.bool_()), ("score", pa.float64()), ("reason", pa.string()),
    ("extracted", pa.string()), ("normalized", pa.string()), ("method", pa.string()), ("details", pa.string()),
    ("created_at", pa.float64()), ("schema_version", pa.int16()),
])
_KEY_SQL = ", ".join(KEY)
# A sample joined to its verdict by one verifier version: `... LEFT JOIN` + this, params (verifier, version).
VERDICT_JOIN = f"(SELECT * FROM verdicts WHERE verifier = ? AND verifier_version = ?) v USING ({_KEY_SQL})"


class Store:
    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        for sub in ("samples", "verdicts", "runs", "results"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)

    # ---- writing -------------------------------------------------------------------------
    def _write_segment(self, table: str, rows: list[dict[str, Any]], schema: pa.Schema, tag: str) -> None:
        if not rows:
            return
        now = time.time()
        for row in rows:
            row.setdefault("created_at", now)
            row.setdefault("schema_version", SCHEMA_VERSION)
        name = f"{tag}-{time.time_ns()}-{uuid.uuid4().hex[:8]}.parquet"
        final = self.root / table / name
        temp = final.with_name("." + name + ".tmp")  # hidden from the *.parquet glob until renamed
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), temp, compression="zstd")
        os.replace(temp, final)

    def write(self, samples: list[dict[str, Any]], verdicts: list[dict[str, Any]], tag: str = "run") -> None:
        """Samples first, then their verdicts: a kill in between leaves samples to re-verify, never orphans."""
        self._write_segment("samples", samples, SAMPLES, tag)
        self._write_segment("verdicts", verdicts, VERDICTS, tag)

    def write_json(self, kind: str, name: str, payload: dict[str, Any]) -> Path:
        path = self.root / kind / f"{name}.json"
        temp = path.with_name("." + path.name + ".tmp")
        temp.write_text(json.dumps(payload, indent=2, sort_keys=True, default=str), encoding="utf-8")
        os.replace(temp, path)
        return path

    # ---- reading -------------------------------------------------------------------------
    def read_json(self, kind: str, name: str) -> dict[str, Any] | None:
        path = self.root / kind / f"{name}.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None

    def connect(self) -> duckdb.DuckDBPyConnection:
        """An in-memory DuckDB with views `samples` and `verdicts`, one row per key."""
        con = duckdb.connect()
        for table, schema in (("samples", SAMPLES), ("verdicts", VERDICTS)):
            files = sorted(str(p) for p in (self.root / table).glob("*.parquet"))
            if files:
                source = f"read_parquet({files!r}, union_by_name = true)"
            else:
                con.register(f"_{table}_empty", schema.empty_table())
                source = f"_{table}_empty"
            con.execute(f"CREATE VIEW {table} AS {_deduplicated(table, source)}")
        return con

    def runs(self) -> list[dict[str, Any]]:
        return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((self.root / "runs").glob("*.json"))]

    def results(self) -> list[dict[str, Any]]:
        return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((self.root / "results").glob("*.json"))]

    def query(self, sql: str, params: Sequence[Any] = (), **tables: dict[str, list]) -> list[dict[str, Any]]:
        """Rows of `sql` over the views, as dicts; each keyword is a column dict registered as a table
        (e.g. `_wanted={"prompt_hash": [...]}`) to join against."""
        with self.connect() as con:
            for name, columns in tables.items():
                con.register(name, pa.table(columns))
            cursor = con.execute(sql, list(params))
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]

    def existing_keys(self, model: str, revision: str, sampling_hash: str,
                      prompt_hashes: Iterable[str]) -> set[tuple[str, int]]:
        rows = self.query(
            "SELECT prompt_hash, sample_index FROM samples JOIN _wanted USING (prompt_hash) "
            "WHERE model = ? AND revision = ? AND sampling_hash = ?", [model, revision, sampling_hash],
            _wanted={"prompt_hash": list(set(prompt_hashes))})
        return {(r["prompt_hash"], int(r["sample_index"])) for r in rows}

    def compact(self) -> dict[str, tuple[int, int]]:
        """Rewrite each table's segments as one (duplicates dropped); returns {table: (segments, rows)}.

        Only the segments listed at the start are replaced, so a writer may keep appending meanwhile;
        a reader that lists files just before they are removed fails and must retry, so compact while
        no app or curation job is reading this store.
        """
        done = {}
        for table, schema in (("samples", SAMPLES), ("verdicts", VERDICTS)):
            files = sorted((self.root / table).glob("*.parquet"))
            if len(files) < 2:
                done[table] = (len(files), -1)
                continue
            source = f"read_parquet({[str(f) for f in files]!r}, union_by_name = true)"
            with duckdb.connect() as con:
                rows = con.sql(_deduplicated(table, source)).fetch_arrow_table()
            name = f"compact-{time.time_ns()}-{uuid.uuid4().hex[:8]}.parquet"
            temp = self.root / table / f".{name}.tmp"
            pq.write_table(rows.select(schema.names).cast(schema), temp, compression="zstd")
            os.replace(temp, self.root / table / name)
            for f in files:
                f.unlink()
            done[table] = (len(files), rows.num_rows)
        return done

    def segment_count(self) -> dict[str, int]:
        return {t: len(list((self.root / t).glob("*.parquet"))) for t in ("samples", "verdicts")}


def _deduplicated(table: str, source: str) -> str:
    """One row per key. A sample's first write wins (a duplicate can only come from two writers racing);
    a verdict's latest write wins (a re-score that changed its mind under the same verifier version)."""
    partition, order = (_KEY_SQL + ", verifier, verifier_version", "DESC") if table == "verdicts" else (_KEY_SQL, "")
    return (f"SELECT * FROM {source} "
            f"QUALIFY row_number() OVER (PARTITION BY {partition} ORDER BY created_at {order}) = 1")


def sample_for_verifier(completion: str, reasoning: str | None, think_prefilled: bool) -> tuple[str, bool]:
    """The text the verifier reads: separately returned reasoning goes back inside <think>…</think>."""
    if reasoning:
        return f"<think>{reasoning}</think>{completion}", False
    return completion, think_prefilled
