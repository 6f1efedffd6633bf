"""The paper's numbers: leaderboards/data/paper_tables.json, flattened to one record per number.

The data file keeps each table as the DeepSeek-R1 paper prints it (Tables 2 and 5 have a row per
model, Table 4 a row per benchmark), so it can be read side by side with the seed text; this module
turns every cell into a `Reference` that names its table, column and row, and maps the paper's
model and benchmark names to ours (evals/models.py, evals/benchmarks/).

    python -m leaderboards reference      # every number with its source
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from evals.errors import DataError

__all__ = ["Reference", "DATA_FILE", "load_references", "load_tables", "lookup"]

DATA_FILE = Path(str(resources.files("leaderboards") / "data" / "paper_tables.json"))


@dataclass(frozen=True)
class Reference:
    """One number of the paper, in percent (or a Codeforces rating), with where it was printed."""

    table: str  # "Table 5"
    column: str  # the paper's column (or, for Table 4, row) header: "AIME 2024 cons@64"
    row: str  # the paper's model name: "DeepSeek-R1-Distill-Qwen-7B"
    model: str | None  # our registry name, None when the model is not in evals/models.py
    benchmark: str | None  # our benchmark name, None when we do not have that benchmark
    metric: str  # pass@1, cons@64, rating, percentile ...
    value: float

    @property
    def source(self) -> str:
        return f"{self.table}, {self.row}, {self.column}"


def load_tables(path: str | Path | None = None) -> dict[str, Any]:
    """The data file as written (its tables, model map and provenance)."""
    from evals.records import read_text

    source = Path(path or DATA_FILE)
    try:
        return json.loads(read_text(source, "reference data file"))
    except json.JSONDecodeError as exc:
        raise DataError(f"{source}:{exc.lineno}: not valid JSON ({exc.msg}); fix the file") from exc


def load_references(path: str | Path | None = None) -> list[Reference]:
    """Every non-empty cell of every table, in the paper's order."""
    data = load_tables(path)
    models: dict[str, str | None] = data["models"]
    out: list[Reference] = []
    for table in data["tables"]:
        name = table["table"]
        for row in table["rows"]:
            if len(row["values"]) != len(table["columns"]):
                raise ValueError(f"{path or DATA_FILE}: {name}, row {row['label']!r} has {len(row['values'])} "
                                 f"values for {len(table['columns'])} columns; fix the row")
            for column, value in zip(table["columns"], row["values"]):
                if value is None:
                    continue
                if table["rows_are"] == "models":  # column: {label, benchmark, metric}
                    paper_model, label, bench, metric = row["label"], column["label"], column["benchmark"], \
                        column["metric"]
                else:  # Table 4: rows are benchmarks, columns are models
                    paper_model, label, bench, metric = column, row["label"], row["benchmark"], row["metric"]
                if paper_model not in models:
                    raise ValueError(f"{path or DATA_FILE}: model {paper_model!r} ({name}) is missing from 'models'; "
                                     "map it to a registry name or null")
                out.append(Reference(name, label, paper_model, models[paper_model], bench, metric, float(value)))
    return out


def lookup(references: list[Reference], model: str, benchmark: str, metric: str) -> list[Reference]:
    """The paper's numbers for our (registry) model, benchmark and metric; several when tables repeat a model."""
    return [r for r in references if r.model == model and r.benchmark == benchmark and r.metric == metric]
