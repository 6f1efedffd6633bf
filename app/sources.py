"""Where the app reads from, and how it opens each source without ever writing to it.

* The evals store: Parquet segments read through `evals.store.Store.connect()` (an in-memory DuckDB),
  so reading while a run appends segments is safe. The file listing is taken when the connection is
  made; `fingerprint()` changes when a segment or run file appears, and the app reconnects.
* The curation workspace: `<workdir>/curation.duckdb`, a DuckDB file that a running curation stage
  holds locked (DuckDB admits one writing process, and while it writes nobody can open the file, not
  even read-only). It is opened read-only; when it is locked, `open_curation` says so, and can read a
  snapshot copy of the file instead.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evals.store import DIRECTORIES, Store

__all__ = ["StoreMissing", "CurationLocked", "fingerprint", "open_store", "list_runs", "benchmark_problems",
           "open_curation"]


class StoreMissing(Exception):
    """The path is not an evals store (no samples/ directory)."""


class CurationLocked(Exception):
    """Another process (a running curation stage) holds the workspace database."""


def fingerprint(root: str | os.PathLike[str]) -> tuple:
    """Cheap identity of what the store holds now: per directory, file count and newest name or mtime."""
    out = []
    for sub in DIRECTORIES:
        try:
            with os.scandir(Path(root) / sub) as it:
                names = [(e.name, e.stat().st_mtime_ns if sub in ("runs", "results") else 0)
                         for e in it if not e.name.startswith(".")]
        except FileNotFoundError:
            names = []
        out.append((sub, len(names), max(names, default=None)))
    return tuple(out)


def open_store(root: str | os.PathLike[str]) -> tuple[Any, Any]:
    """(Store, DuckDB connection with views `samples` and `verdicts`). Refuses a path that is no store,
    rather than letting `Store()` create one there: the app only reads."""
    path = Path(root)
    if not Store.exists(path):
        raise StoreMissing(f"{path} is not an evals store (no samples/ and runs/ inside); pass --db with the "
                           "directory `python -m evals run --db` wrote")
    store = Store(path)  # its directories exist, so this creates nothing
    con = store.connect()
    con.execute("SET threads = 2")  # a shared machine: a page's queries need no more
    return store, con


def list_runs(store: Any) -> list[dict[str, Any]]:
    """The runs of the store (runs/*.json), one per (model, revision, sampling, benchmark), with results."""
    results = {r.get("run_id"): r for r in store.results()}
    seen: dict[tuple, dict[str, Any]] = {}
    for run in store.runs():
        model = run.get("model") or {}
        entry = {
            "run_id": run["run_id"], "model": model.get("name") or model.get("hub_id"),
            "revision": model.get("revision") or "main", "sampling_hash": run["sampling_hash"],
            "benchmark": run["benchmark"], "k": int(run.get("k") or 1), "verifier": run.get("verifier"),
            "created_at": run.get("created_at"), "sampling": run.get("sampling") or {}, "data": (run.get("config") or {}).get("data") or {},
            "result": results.get(run["run_id"]),
        }
        seen[(entry["model"], entry["revision"], entry["sampling_hash"], entry["benchmark"])] = entry
    return sorted(seen.values(), key=lambda r: (r["model"], r["benchmark"], r["sampling_hash"]))


def benchmark_problems(name: str, data: dict[str, str] | None = None) -> dict[str, dict[str, Any]]:
    """{problem id: {text, gold, metadata...}} from the benchmark's pinned data; {} when it cannot be read
    here (a gated set such as GPQA, or a private benchmark): the app then shows the store's text only."""
    try:
        from evals.benchmarks import get_benchmark

        problems = get_benchmark(name).load(dict(data or {}))
    except Exception:  # noqa: BLE001 - any loader failure only costs the gold answer and breakdowns
        return {}
    return {p.id: {"text": p.text, "gold": str(p.reference), **dict(p.metadata)} for p in problems}


@dataclass
class Curation:
    con: Any
    path: Path
    snapshot: bool = False
    cleanup: list[Path] = field(default_factory=list)


def open_curation(workdir: str | os.PathLike[str], snapshot_if_locked: bool = False) -> Curation:
    """The workspace database opened read-only, with its `samples` view over the sample sources.

    Raises CurationLocked when a running stage holds the file, unless `snapshot_if_locked`: then a copy
    of the file (and its WAL) is opened instead, which shows the state of the last checkpoint.
    """
    import duckdb

    from curation.db import DB_NAME, create_samples_view

    path = Path(workdir) / DB_NAME
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist: run `python -m curation ingest` (and its stages) first")
    try:
        con = duckdb.connect(str(path), read_only=True)
        snapshot, cleanup = False, []
    except duckdb.IOException as exc:
        if "lock" not in str(exc).lower():
            raise
        if not snapshot_if_locked:
            raise CurationLocked(f"{path} is locked by another process (a curation stage is running): {exc}") from exc
        tmp = Path(tempfile.mkdtemp(prefix="r1-app-curation-"))
        for suffix in ("", ".wal"):
            if Path(str(path) + suffix).exists():
                shutil.copyfile(str(path) + suffix, tmp / (DB_NAME + suffix))
        con = duckdb.connect(str(tmp / DB_NAME), read_only=True)
        snapshot, cleanup = True, [tmp]
    con.execute("SET threads = 2")
    create_samples_view(con)
    return Curation(con, path, snapshot, cleanup)
