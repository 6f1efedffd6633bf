"""`python -m evals fsck STORE`: check a store; with --repair, set right what can be set right.

Checks every segment page by page (opening the store reads only footers), the runs/ and results/ JSON,
temporary files left by killed writers, writer locks, and verdicts on a text that is not the kept
sample's (left by two racing writers; the views ignore them). Exit codes: 0 healthy (or, with --repair,
everything repaired), 1 problems found (listed; run again with --repair) or left unrepaired, 2 no store.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .errors import UsageError
from .store import KEY, QUARANTINE, SCHEMAS, TABLES, Store
from .store_check import damage, quarantine_segment
from .store_lock import describe, read_holder, stale

TEMP_AGE_S = 3600.0  # a writer's temporary file older than this belongs to a writer that was killed


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)  # what is wrong (and, with --repair, what was done)
    unrepaired: int = 0
    notes: list[str] = field(default_factory=list)  # worth knowing, nothing to repair

    def lines(self) -> list[str]:
        return [f"problem: {p}" for p in self.problems] + [f"note: {n}" for n in self.notes]


def fsck(root: str | Path, repair: bool = False) -> Report:
    root = Path(root)
    if not Store.exists(root):
        raise UsageError(f"{root} is not an evals store (no samples/ and runs/ inside); pass the directory "
                         "`python -m evals run --db` wrote")
    report = Report()
    for table in TABLES:
        for path in sorted((root / table).glob("*.parquet")):
            _check_segment(path, table, root / QUARANTINE / table, repair, report)
    for kind in ("runs", "results"):
        for path in sorted((root / kind).glob("*.json")):
            _check_json(path, root / QUARANTINE / kind, repair, report)
    for path in sorted(p for d in (*TABLES, "runs", "results") for p in (root / d).glob(".*.tmp")):
        if time.time() - path.stat().st_mtime > TEMP_AGE_S:
            report.problems.append(f"{path}: temporary file of a killed writer" + (" -> deleted" if repair else ""))
            if repair:
                path.unlink(missing_ok=True)
    for path in sorted((root / "locks").glob("*.lock")):
        try:
            holder = read_holder(path)
        except FileNotFoundError:  # released since the listing
            continue
        if stale(path, holder):
            report.problems.append(f"{path}: stale writer lock ({describe(holder)})" + (" -> removed" if repair else ""))
            if repair:
                path.unlink(missing_ok=True)
        else:
            report.notes.append(f"{path}: held by a live writer ({describe(holder)})")
    quarantined = sorted(p for p in (root / QUARANTINE).rglob("*") if p.is_file() and not p.name.endswith(".why.txt"))
    if quarantined:
        report.notes.append(f"{len(quarantined)} file(s) in {root / QUARANTINE} (moved aside earlier; their rows are "
                            "generated or verified again by the next run; delete them once you have looked)")
    if report.unrepaired:  # opening the store would move the damaged segments: not without --repair
        report.notes.append("the check for racing writers runs once the damaged files are repaired")
    else:
        _check_races(Store(root), report)
    return report


def _check_segment(path: Path, table: str, quarantine: Path, repair: bool, report: Report) -> None:
    why = damage(path, KEY, deep=True)
    if why is None:
        return
    if not repair:
        report.problems.append(f"{path}: damaged segment ({why})")
        report.unrepaired += 1
        return
    salvaged = _salvage(path, table)
    moved = quarantine_segment(path, quarantine, why)
    report.unrepaired += moved is None
    report.problems.append(f"{path}: damaged segment ({why}) -> " + (f"moved to {moved}" if moved else "NOT moved")
                           + f", {salvaged} readable rows kept in a new segment" * bool(salvaged))


def _salvage(path: Path, table: str) -> int:
    """Write the row groups of a damaged segment that still decode into a new segment; their number of rows."""
    try:
        segment = pq.ParquetFile(path)
    except Exception:  # no footer: nothing can be located in the file
        return 0
    good = []
    for group in range(segment.num_row_groups):
        try:
            good.append(segment.read_row_group(group))
        except Exception:
            continue
    if not good:
        return 0
    schema = SCHEMAS[table]
    rows = pa.concat_tables(good, promote_options="permissive")
    rows = pa.table({f.name: rows[f.name].cast(f.type) if f.name in rows.column_names
                     else pa.nulls(rows.num_rows, f.type) for f in schema}, schema=schema)
    target = path.with_name(f"salvaged-{path.name}")
    temp = target.with_name(f".{target.name}.tmp")
    pq.write_table(rows, temp, compression="zstd")
    temp.replace(target)
    return rows.num_rows


def _check_json(path: Path, quarantine: Path, repair: bool, report: Report) -> None:
    try:
        json.loads(path.read_text(encoding="utf-8"))
        return
    except (ValueError, UnicodeDecodeError) as exc:
        why = f"{type(exc).__name__}: {exc}"
    if not repair:
        report.problems.append(f"{path}: unreadable JSON ({why})")
        report.unrepaired += 1
        return
    moved = quarantine_segment(path, quarantine, why)
    report.unrepaired += moved is None
    report.problems.append(f"{path}: unreadable JSON ({why}) -> " + (f"moved to {moved}; `evals run` writes it "
                           "again (results: `evals show` recomputes them)" if moved else "NOT moved"))


def _check_races(store: Store, report: Report) -> None:
    """Verdicts the views ignore because they judged another writer's text for the same key."""
    raced, ignored = store.race_counts()
    if raced:
        report.notes.append(f"{raced} sample key(s) were written twice with different texts (two writers raced); "
                            f"the first write is kept, and {ignored} verdict(s) on the other texts are ignored")
