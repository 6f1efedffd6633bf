"""The store: append-only Parquet segments, read through DuckDB views. The only code that writes it.

    <db>/samples/*.parquet    one row per completion, keyed by (model, revision, prompt_hash,
                              sampling_hash, sample_index)
    <db>/verdicts/*.parquet   one row per (sample key, verifier, verifier_version): a re-score adds
                              rows, it never overwrites them, so flips can be listed
    <db>/runs/<run_id>.json   the resolved config and manifest of a run (model, backend, data ...)
    <db>/results/<run_id>.json  its metrics

Why segments and not one DuckDB file: a DuckDB file admits one writing process, and while it is
open nobody else can even read it. Here a writer (evals/streaming.py) writes what arrived within a
second (or every 256 rows) into a new file written under a temporary name and renamed, so readers
(the app, a second shard, curation) only ever see whole segments, a SIGKILL loses at most the last
second of completions (and the verdicts being computed), and shards from other machines merge by
copying files. Every reader lists segments through `Store.segments`, which moves a damaged one to
<db>/quarantine/ (evals/store_check.py); one process writes a run at a time (`writer_lock`,
evals/store_lock.py); a verdict counts only for the text it judged (`sample_hash`, schema 2).

This module owns the schema: the key, the one-row-per-key rule, the segment layout and every query
over `samples` and `verdicts`. Others read through `Store` methods (rows as dicts), through the
relations `connect()` defines beside the views (`verdicts_of`, `verdicts_of_any`, `latest_verdicts`,
`answers`: the app's analytical queries read these), or, from another database (curation's DuckDB),
through `samples_sql()` and `verdicts_sql()`. A test fails if SQL against the views appears anywhere else.
"""
from __future__ import annotations

import hashlib
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

from .store_check import QUARANTINE, columns, good_segments
from .store_lock import WriterLock

# 2: samples carry `content_hash`, verdicts the `sample_hash` of the text they judged. Version-1 segments
# stay readable: their missing columns read as NULL, and a NULL hash matches any sample (see `_verdicts`).
SCHEMA_VERSION = 2
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
    ("created_at", pa.float64()), ("schema_version", pa.int16()), ("content_hash", pa.string()),
])
VERDICTS = pa.schema([
    ("model", pa.string()), ("revision", pa.string()), ("prompt_hash", pa.string()),
    ("sampling_hash", pa.string()), ("sample_index", pa.int32()),
    ("benchmark", pa.string()), ("problem_id", pa.string()), ("verifier", pa.string()),
    ("verifier_version", pa.string()), ("correct", pa.bool_()), ("score", pa.float64()), ("reason", pa.string()),
    ("extracted", pa.string()), ("normalized", pa.string()), ("method", pa.string()), ("details", pa.string()),
    ("created_at", pa.float64()), ("schema_version", pa.int16()), ("sample_hash", pa.string()),
])
SCHEMAS = {"samples": SAMPLES, "verdicts": VERDICTS}
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


def content_hash(sample: dict[str, Any]) -> str:
    """What a verifier judges of a sample (its texts and finish), hashed: a verdict row carries its sample's
    hash as `sample_hash`, so a verdict on one writer's text is never read as the verdict on another's."""
    if sample.get("content_hash"):
        return sample["content_hash"]
    judged = [sample.get("completion"), sample.get("reasoning"), sample.get("finish_reason"),
              bool(sample.get("think_prefilled"))]
    return hashlib.sha256(json.dumps(judged, ensure_ascii=False).encode()).hexdigest()[:32]


class Store:
    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        for sub in ("samples", "verdicts", "runs", "results"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)

    def segments(self, table: str) -> list[Path]:
        """The table's readable segments: every reader lists them here, so a damaged one is moved to
        <db>/quarantine/ (with a warning) instead of failing every query (evals/store_check.py)."""
        return good_segments(self.root / table, KEY, self.root / QUARANTINE / table)

    def writer_lock(self, run: str, shard: tuple[int, int] = (0, 1)) -> WriterLock:
        """The lock a process holds while it writes `run` (evals/store_lock.py): a second writer of the same
        run is refused unless their shards are disjoint."""
        return WriterLock(self.root / "locks", run, shard)

    # ---- writing -------------------------------------------------------------------------
    def _write_segment(self, table: str, rows: list[dict[str, Any]], schema: pa.Schema, tag: str) -> None:
        if not rows:
            return
        now = time.time()
        for row in rows:
            row.setdefault("created_at", now)
            row.setdefault("schema_version", SCHEMA_VERSION)
            if table == "samples":
                row["content_hash"] = content_hash(row)
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
        sources = {table: _listed_source(table, self.segments(table)) for table in TABLES}
        con.execute(f"CREATE VIEW samples AS {_samples(sources['samples'])}")
        # which verdicts judged a text the store does not keep, found once here (usually none) rather than
        # by joining every query's verdicts to the samples' de-duplication window
        con.execute(f"CREATE TEMP TABLE _foreign_verdicts AS {_foreign(sources['verdicts'], 'samples')}")
        con.execute(f"CREATE VIEW verdicts AS {_verdicts(sources['verdicts'], foreign='_foreign_verdicts')}")
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
        return f"({_samples(self._glob_source('samples', always=True), _condition(where))})"

    def verdicts_sql(self, **where: str) -> str:
        """Like `samples_sql`, this store's verdicts (one row per key, verifier and version) for another
        database to embed (curation reuses them): only the verdicts on the texts of the samples kept."""
        samples = f"({_samples(self._glob_source('samples'), _condition(where))})"
        return f"({_verdicts(self._glob_source('verdicts'), samples, _condition(where, 'v.'))})"

    def _glob_source(self, table: str, always: bool = False) -> str:
        """The table's segments by glob (read when the query runs), checked now: damage is quarantined.
        Without segments, an empty relation, unless `always` (a glob matching nothing fails until one exists)."""
        if not self.segments(table) and not always:
            return _source(table, [])
        return _source(table, [self.segment_glob(table)])

    def has_segments(self, table: str) -> bool:
        return bool(self.segments(table))

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
        """Rewrite each table's segments as one (duplicates, and verdicts on a text the kept sample does not
        have, dropped); returns {table: (segments, rows)}.

        Only the segments listed at the start are replaced, so a writer may keep appending meanwhile;
        a reader that lists files just before they are removed fails and must retry, so compact while
        no app or curation job is reading this store.
        """
        files = {table: self.segments(table) for table in TABLES}
        if all(len(found) < 2 for found in files.values()):
            return {table: (len(found), -1) for table, found in files.items()}
        sources = {table: _source(table, [str(f) for f in found]) for table, found in files.items()}
        samples = f"({_samples(sources['samples'])})"
        with duckdb.connect() as con:  # both read before any segment goes: verdicts are checked against samples
            tables = {"samples": con.sql(samples).fetch_arrow_table(),
                      "verdicts": con.sql(_verdicts(sources["verdicts"], samples)).fetch_arrow_table()}
        done = {}
        for table, rows in tables.items():
            name = f"compact-{time.time_ns()}-{uuid.uuid4().hex[:8]}.parquet"
            temp = self.root / table / f".{name}.tmp"
            pq.write_table(rows.select(SCHEMAS[table].names).cast(SCHEMAS[table]), temp, compression="zstd")
            os.replace(temp, self.root / table / name)
            for f in files[table]:
                f.unlink()
            done[table] = (len(files[table]), rows.num_rows)
        return done

    def race_counts(self) -> tuple[int, int]:
        """(keys written with two different texts, verdicts ignored because they judged the text not kept):
        what two racing writers left (fsck reports it). Schema-1 samples are compared by their texts."""
        sources = {table: _source(table, [str(p) for p in self.segments(table)]) for table in TABLES}
        judged = "coalesce(content_hash, md5(concat_ws(chr(0), completion, reasoning, finish_reason)))"
        with duckdb.connect() as con:
            raced = con.execute(f"SELECT count(*) FROM (SELECT {_KEY_SQL} FROM {sources['samples']} GROUP BY ALL "
                            f"HAVING count(DISTINCT {judged}) > 1)").fetchone()[0]
            keys = " AND ".join(f"v.{c} = s.{c}" for c in KEY)
            ignored = con.execute(f"SELECT count(*) FROM {sources['verdicts']} v JOIN ({_samples(sources['samples'])}) s "
                              f"ON {keys} WHERE v.sample_hash <> s.content_hash").fetchone()[0]
        return raced, ignored

    def segment_count(self) -> dict[str, int]:
        return {t: len(self.segments(t)) for t in TABLES}


_DUCKDB_TYPES = {pa.string(): "VARCHAR", pa.int16(): "SMALLINT", pa.int32(): "INTEGER", pa.int64(): "BIGINT",
                 pa.float64(): "DOUBLE", pa.bool_(): "BOOLEAN"}


def _source(table: str, files: list[str]) -> str:
    """The rows of these segments (paths or globs) with every column of the current schema: a column an
    older segment lacks (schema version 1 had no hashes) reads as NULL."""
    typed = ", ".join(f"CAST(NULL AS {_DUCKDB_TYPES[f.type]}) AS {f.name}" for f in SCHEMAS[table])
    empty = f"SELECT {typed} WHERE false"
    if not files:
        return f"({empty})"
    listed = ", ".join(_literal(f) for f in files)
    return f"(SELECT * FROM read_parquet([{listed}], union_by_name = true) UNION ALL BY NAME {empty})"


def _listed_source(table: str, files: list[Path]) -> str:
    """Like `_source`, for a fixed list of checked segments: a column none of them has (an older schema)
    is added as NULL, without the union that would keep filters from reaching the Parquet scan."""
    if not files:
        return _source(table, [])
    have = columns(files)
    missing = "".join(f", CAST(NULL AS {_DUCKDB_TYPES[f.type]}) AS {f.name}" for f in SCHEMAS[table]
                      if f.name not in have)
    listed = ", ".join(_literal(str(f)) for f in files)
    return f"(SELECT *{missing} FROM read_parquet([{listed}], union_by_name = true))"


def _samples(source: str, where: str = "") -> str:
    """One row per key: a sample's first write wins (a duplicate can only come from two writers racing).
    `where` may only filter on key columns, so filtering before the window drops no winner."""
    return (f"SELECT * FROM {source} {f'WHERE {where} ' if where else ''}"
            f"QUALIFY row_number() OVER (PARTITION BY {_KEY_SQL} ORDER BY created_at) = 1")


def _verdicts(source: str, samples: str = "", where: str = "", foreign: str = "") -> str:
    """One row per (key, verifier, version), of the verdicts on the text the kept sample has: the latest such
    write wins (a re-score that changed its mind under the same version). A verdict on another writer's
    text for that key is never used. A NULL hash (a schema-1 segment) matches: such a store had no second
    writer unless one raced, and re-verifying every old store would re-run hours of code judging.
    The texts kept are `samples` (a relation) or, already resolved, `foreign` (a table of `_foreign`)."""
    if foreign:
        keys = " AND ".join(f"v.{c} = f.{c}" for c in (*KEY, "sample_hash"))
        body, condition = f"{source} v ANTI JOIN {foreign} f ON {keys}", "true"
    else:
        keys = " AND ".join(f"v.{c} = s.{c}" for c in KEY)
        body = f"{source} v LEFT JOIN (SELECT {_KEY_SQL}, content_hash FROM {samples}) s ON {keys}"
        condition = "(v.sample_hash IS NULL OR s.content_hash IS NULL OR v.sample_hash = s.content_hash)"
    return (f"SELECT v.* FROM {body} WHERE {condition}{f' AND {where}' if where else ''} QUALIFY row_number() "
            f"OVER (PARTITION BY {', '.join('v.' + c for c in KEY)}, v.verifier, v.verifier_version "
            f"ORDER BY v.created_at DESC) = 1")


def _foreign(source: str, samples: str) -> str:
    """The (key, sample_hash) of verdicts on a text that is not the kept sample's (two writers raced)."""
    keys = " AND ".join(f"v.{c} = s.{c}" for c in KEY)
    return (f"SELECT DISTINCT {', '.join('v.' + c for c in KEY)}, v.sample_hash FROM {source} v "
            f"JOIN (SELECT {_KEY_SQL}, content_hash FROM {samples}) s ON {keys} WHERE v.sample_hash <> s.content_hash")


def _condition(where: dict[str, str], alias: str = "") -> str:
    return " AND ".join(f"{alias}{column} = {_literal(value)}" for column, value in where.items())


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
