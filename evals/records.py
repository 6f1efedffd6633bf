"""Records from a data file, whatever its format: JSONL, JSON (a list, or an object of records),
CSV or parquet (through DuckDB). Shared by benchmark loaders and the replay backend."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def read_records(path: str | Path) -> Iterator[tuple[int, Any]]:
    """(record number, record) for every record of the file, by its suffix; errors name the file and line."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".csv"):
        import duckdb

        reader = "read_parquet" if suffix == ".parquet" else "read_csv_auto"
        try:
            cursor = duckdb.execute(f"SELECT * FROM {reader}(?)", [str(path)])
        except duckdb.Error as exc:
            raise ValueError(f"{path}: cannot read as {suffix[1:]} ({exc}); check the file, or its suffix") from exc
        names = [d[0] for d in cursor.description]
        for number, row in enumerate(cursor.fetchall(), 1):
            yield number, dict(zip(names, row))
    elif suffix == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg}); fix the file") from exc
        items = data.values() if isinstance(data, dict) else data
        for number, row in enumerate(items, 1):
            yield number, row
    else:  # JSONL
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    try:
                        yield number, json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise ValueError(f"{path}:{number}: not valid JSON ({exc.msg}); fix or drop the line") from exc
