"""Build the leaderboard from a store: read runs, put the paper's numbers beside them, write the files.

    python -m leaderboards build --db runs/store --output runs/leaderboards

Writes leaderboard.md, leaderboard.html, and leaderboard.csv + manifest.csv + paper_reference.csv
(per --format). The store is checked before anything is written, so a wrong --db creates nothing.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from . import render
from .compare import compare
from .measured import load_runs
from .reference import load_references, load_tables
from .tables import PAPER, comparison_table, manifest_table, paper_tables

__all__ = ["FORMATS", "TITLE", "build"]

FORMATS = ("md", "html", "csv")
TITLE = "Leaderboard: our numbers beside the DeepSeek-R1 paper's"


def build(db: str | Path, formats: Sequence[str] = FORMATS, output: str | Path = "runs/leaderboards",
          recompute: bool = False, references: str | Path | None = None) -> list[Path]:
    """Render the leaderboard of store `db` into `output`; returns the files written."""
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    runs = load_runs(db, recompute=recompute)  # raises StoreError (naming the path) before any write
    refs = load_references(references)
    comparisons = compare(runs, refs)
    # the paper's own tables with our numbers in them first, the long table and the manifests below
    tables = [*paper_tables(load_tables(references), comparisons), comparison_table(comparisons), manifest_table(runs)]
    how = "recomputed from its samples" if recompute else "as `python -m evals run` computed them"
    subtitle = (f"Store {db}: {len(runs)} run(s), metrics {how}. Built with "
                f"`python -m leaderboards build --db {db}`. Paper numbers: {PAPER}, Tables 2, 4 and 5.")
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    texts: dict[str, str] = {}
    if "md" in formats:
        texts["leaderboard.md"] = render.to_markdown(TITLE, subtitle, tables)
    if "html" in formats:
        texts["leaderboard.html"] = render.to_html(TITLE, subtitle, tables)
    if "csv" in formats:
        texts["leaderboard.csv"] = render.comparison_csv(comparisons)
        texts["manifest.csv"] = render.manifest_csv(runs)
        texts["paper_reference.csv"] = render.reference_csv(refs)
    written = []
    for name, text in texts.items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
