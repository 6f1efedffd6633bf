"""Damaged segments: found when a store opens, moved aside so the store stays usable.

A segment is written under a temporary name and renamed, so a kill never leaves half of one; damage
comes from outside (a copy cut short, a full disk during a merge, a bad disk, a stray file). Every
reader opens the store through `Store.segments`, which checks each segment once per process (its
Parquet footer and the key columns) and moves a damaged one to <db>/quarantine/<table>/ with a note
saying why: its rows are then simply missing, so the next `evals run` generates or verifies them again.
`python -m evals fsck` (evals/fsck.py) checks deeper (every page) and salvages readable row groups.
"""
from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pyarrow.parquet as pq

QUARANTINE = "quarantine"
# path -> ((size, mtime_ns), column names) of the segments found whole in this process
_CHECKED: dict[str, tuple[tuple[int, int], frozenset[str]]] = {}


def damage(path: Path, required: Sequence[str], *, deep: bool = False) -> str | None:
    """Why `path` cannot be read as a segment with columns `required`, or None when it can. `deep` decodes
    every row group (what fsck does); otherwise only the footer and schema are read (what opening does).
    FileNotFoundError passes through: a segment compacted away meanwhile is gone, not damaged."""
    try:
        segment = pq.ParquetFile(path)
        missing = [c for c in required if c not in segment.schema_arrow.names]
        if missing:
            return f"not a segment of this table: no column {', '.join(missing)}"
        if deep:
            for group in range(segment.num_row_groups):
                segment.read_row_group(group)
    except FileNotFoundError:
        raise
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError, ... for the many ways a file is bad
        return f"{type(exc).__name__}: {exc}".strip()
    return None


def good_segments(directory: Path, required: Sequence[str], quarantine: Path) -> list[Path]:
    """The readable segments of one table directory, sorted; damaged ones are quarantined (or, where the
    store is read-only, left out) with a warning on stderr naming them."""
    good = []
    for path in sorted(directory.glob("*.parquet")):
        try:
            stat = path.stat()
            seen = (stat.st_size, stat.st_mtime_ns)
            if _CHECKED.get(str(path), (None,))[0] != seen:
                why = damage(path, required)
                if why is not None:
                    quarantine_segment(path, quarantine, why)
                    continue
                _CHECKED[str(path)] = (seen, frozenset(pq.read_schema(path).names))
        except FileNotFoundError:  # compacted away or quarantined by another reader since the listing
            continue
        good.append(path)
    return good


def columns(paths: Sequence[Path]) -> frozenset[str]:
    """The columns any of these segments (returned by `good_segments`) has."""
    return frozenset().union(*(_CHECKED[str(p)][1] for p in paths if str(p) in _CHECKED))


def quarantine_segment(path: Path, quarantine: Path, why: str) -> Path | None:
    """Move a damaged file into `quarantine` beside a note; warn either way. None if it could not be moved."""
    target = quarantine / path.name
    try:
        quarantine.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        (quarantine / (path.name + ".why.txt")).write_text(
            f"{path}\nquarantined {time.strftime('%Y-%m-%d %H:%M:%S')}: {why}\n", encoding="utf-8")
    except FileNotFoundError:
        return None  # another reader moved it first
    except OSError as exc:
        print(f"[store] warning: damaged segment {path} ({why}) is left out; it cannot be moved aside ({exc}). "
              f"Run `python -m evals fsck {path.parent.parent} --repair` where the store is writable.", file=sys.stderr)
        return None
    print(f"[store] warning: damaged segment {path} ({why}) moved to {target}; its rows are missing now, and the "
          "next `python -m evals run` generates or verifies them again", file=sys.stderr)
    return target
