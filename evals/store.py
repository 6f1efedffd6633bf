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

This module owns the schema: the key, the one-row-per-key rule, the segment layout and every query
over `samples` and `verdicts`. Others read through `Store` methods (rows as dicts), through the
relations `connect()` defines beside the views (`verdicts_of`, `verdicts_of_any`, `latest_verdicts`,
`answers`: the app's analytical queries read these), or, from another database (curation's DuckDB),
through `samples_sql()` and `verdicts_sql()`. A test fails if SQL against the views appears anywhere else.
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
TABLES = ("samples", "verdicts")  # the Parquet-segment directories; runs/ and results/ hold JSON
DIRECTORIES = (*TABLES, "runs", "results")

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
# a verdict's own fields (the columns after the sample's key): what other databases keep of one
VERDICT_FIELDS = ("verifier", "verifier_version", "correct", "score", "reason", "extracted", "normalized",
                  "method", "details")
# Table macros `connect()` defines over the views: the relations consumers may read.
RELATIONS = f"""
CREATE MACRO verdicts_of(name, version) AS TABLE
    SELECT * FROM verdicts WHERE verifier = name AND verifier_version = version;
CREATE MACRO verdicts_of_any(names, version) AS TABLE
    SELECT * FROM verdicts WHERE list_contains(names, verifier) AND verifier_version = version;
CREATE MACRO latest_verdicts(name) AS TABLE
    SELECT * FROM verdicts WHERE verifier = name
    QUALIFY row_number() OVER (PARTITION BY {_KEY_SQL} ORDER BY created_at DESC) = 1;
CREATE MACRO answers(version, signals) AS TABLE
    SELECT s.*, {", ".join(f"v.{f}" for f in VERDICT_FIELDS)} FROM samples s
    LEFT JOIN (SELECT * FROM verdicts WHERE NOT list_contains(signals, verifier) AND verifier_version = version) v
    USING ({_KEY_SQL});
"""


def sample_key(row: dict[str, Any]) -> tuple:
    """The key of a sample (or of a verdict's sample) as a tuple."""
    return tuple(row[c] for c in KEY)


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
        con.execute(RELATIONS)
        return con

    @staticmethod
    def exists(root: str | os.PathLike[str]) -> bool:
        """Whether `root` holds a store (without creating one, as `Store(root)` would)."""
        return (Path(root) / "samples").is_dir() and (Path(root) / "runs").is_dir()

    def samples_sql(self, **where: str) -> str:
        """A SQL expression reading this store's samples, one row per key, for another database to embed in
        its own views (curation's DuckDB): it reads the segments present when the query runs, so samples
        written later are seen. `where` filters on sample columns (e.g. model=..., sampling_hash=...)."""
        glob = _literal(self.segment_glob("samples"))
        condition = " AND ".join(f"{column} = {_literal(value)}" for column, value in where.items())
        return f"({_deduplicated('samples', f'read_parquet({glob}, union_by_name = true)', condition)})"

    def verdicts_sql(self, **where: str) -> str:
        """Like `samples_sql`, this store's verdicts (one row per key, verifier and version) for another
        database to embed (curation reuses them). An empty glob is an error: check `has_segments` first."""
        glob = _literal(self.segment_glob("verdicts"))
        condition = " AND ".join(f"{column} = {_literal(value)}" for column, value in where.items())
        return f"({_deduplicated('verdicts', f'read_parquet({glob}, union_by_name = true)', condition)})"

    def has_segments(self, table: str) -> bool:
        return any((self.root / table).glob("*.parquet"))

    def segment_glob(self, table: str) -> str:
        return str(self.root.resolve() / table / "*.parquet")

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

    def benchmarks(self) -> list[str]:
        return [r["benchmark"] for r in self.query("SELECT DISTINCT benchmark FROM samples ORDER BY 1")]

    def samples(self, prompt_hashes: Iterable[str], model: str | None = None) -> list[dict[str, Any]]:
        """Every stored sample of these prompts (of one model, if given)."""
        where, params = ("WHERE s.model = ?", [model]) if model else ("", [])
        return self.query(f"SELECT s.* FROM samples s JOIN _wanted USING (prompt_hash) {where}", params,
                          _wanted={"prompt_hash": list(prompt_hashes)})

    def verdict_keys(self, verifier: str, version: str) -> set[tuple]:
        """The keys of the samples that have a verdict by this verifier version."""
        return {sample_key(r) for r in self.query(f"SELECT {_KEY_SQL} FROM verdicts_of(?, ?)", [verifier, version])}

    def latest_verdicts(self, verifier: str) -> dict[tuple, dict[str, Any]]:
        """Each sample's latest verdict by this verifier, of any version, by sample key."""
        return {sample_key(v): v for v in self.query("SELECT * FROM latest_verdicts(?)", [verifier])}

    def unscored(self, model: str, revision: str, sampling_hash: str, prompt_hashes: list[str],
                 answer: tuple[str, str], signal: tuple[str, str]) -> list[dict[str, Any]]:
        """Samples (every column) of these prompts missing the `answer` verdict or the `signal` verdict, each
        a (verifier, version); `needs_verdict` and `needs_signals` say which."""
        return self.query(
            f"""SELECT s.*, v.reason IS NULL AS needs_verdict, g.reason IS NULL AS needs_signals
                FROM samples s JOIN _wanted USING (prompt_hash)
                LEFT JOIN verdicts_of(?, ?) v USING ({_KEY_SQL}) LEFT JOIN verdicts_of(?, ?) g USING ({_KEY_SQL})
                WHERE s.model = ? AND s.revision = ? AND s.sampling_hash = ?
                  AND (v.reason IS NULL OR g.reason IS NULL)""",
            [*answer, *signal, model, revision, sampling_hash], _wanted={"prompt_hash": prompt_hashes})

    def scored(self, model: str, revision: str, sampling_hash: str, problems: dict[str, list], k: int,
               answer: tuple[str, str], signals: tuple[Sequence[str], str]) -> list[dict[str, Any]]:
        """One row per stored sample (index < k) of `problems` ({"prompt_hash": [...], "pid": [...]}), ordered
        by (pid, sample_index): the sample's problem_id (pid), finish and tokens, whether it has a thinking
        section (`thinks`: prefilled, written, or a separate reasoning channel), its `answer` verdict
        (verifier, version), and for each verifier of `signals` (names, version) `<name>_score`,
        `<name>_correct` and `<name>_reason`; NULL where a verdict is missing."""
        names, version = signals
        columns = "".join(f", g{i}.score AS {n}_score, g{i}.correct AS {n}_correct, g{i}.reason AS {n}_reason"
                          for i, n in enumerate(names))
        joins = "".join(f" LEFT JOIN verdicts_of(?, ?) g{i} USING ({_KEY_SQL})" for i in range(len(names)))
        return self.query(
            f"""SELECT p.pid AS problem_id, s.sample_index, s.finish_reason, s.completion_tokens,
                       (coalesce(s.think_prefilled, false) OR coalesce(s.reasoning, '') <> ''
                        OR contains(coalesce(s.completion, ''), '</think>')
                        OR contains(coalesce(s.completion, ''), '<think>')) AS thinks,
                       v.correct, v.score, v.reason, v.extracted, v.normalized{columns}
                FROM samples s JOIN _problems p USING (prompt_hash)
                LEFT JOIN verdicts_of(?, ?) v USING ({_KEY_SQL}){joins}
                WHERE s.model = ? AND s.revision = ? AND s.sampling_hash = ? AND s.sample_index < ?
                ORDER BY p.pid, s.sample_index""",
            [*answer, *(p for n in names for p in (n, version)), model, revision, sampling_hash, k],
            _problems=problems)

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


def _deduplicated(table: str, source: str, where: str = "") -> str:
    """One row per key. A sample's first write wins (a duplicate can only come from two writers racing);
    a verdict's latest write wins (a re-score that changed its mind under the same verifier version).
    `where` may only filter on key columns, so filtering before the window drops no winner."""
    partition, order = (_KEY_SQL + ", verifier, verifier_version", "DESC") if table == "verdicts" else (_KEY_SQL, "")
    return (f"SELECT * FROM {source} {f'WHERE {where} ' if where else ''}"
            f"QUALIFY row_number() OVER (PARTITION BY {partition} ORDER BY created_at {order}) = 1")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
