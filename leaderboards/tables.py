"""The leaderboard as plain tables of strings, one builder per section; the renderers only format them.

Sections: our numbers beside the paper's, the manifest of every run, and the paper's tables as
transcribed in leaderboards/data/paper_tables.json (with our registry name beside each model).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .compare import Comparison
from .measured import Run, manifest_fields

__all__ = ["Table", "comparison_table", "manifest_table", "paper_tables", "FLAG_OUTSIDE", "FLAG_INSIDE"]

FLAG_OUTSIDE, FLAG_INSIDE, NONE = "OUTSIDE", "inside", "—"


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[str]]
    intro: str = ""
    notes: list[str] = field(default_factory=list)
    slug: str = ""


def comparison_table(rows: list[Comparison]) -> Table:
    headers = ["model", "revision", "benchmark", "metric", "ours %", "95% CI", "paper %", "Δ pts", "paper vs CI",
               "paper source", "n", "k", "protocol", "run"]
    body = []
    for c in rows:
        e = c.ours
        body.append([
            c.run.model, str(c.run.result.get("revision") or "?"), c.run.benchmark, c.metric, str(e),
            f"[{e.low * 100:.1f}, {e.high * 100:.1f}]", NONE if c.paper is None else _num(c.paper),
            NONE if c.delta is None else f"{c.delta:+.1f}",
            NONE if c.outside is None else (FLAG_OUTSIDE if c.outside else FLAG_INSIDE),
            "; ".join(r.source for r in c.references) or NONE, str(e.n), str(c.run.k), c.protocol, c.run.run_id,
        ])
    return Table(
        "Our numbers beside the paper's", headers, body, slug="comparison",
        intro=("One row per run and metric. ours: evals' estimate in percent ± half the 95% bootstrap interval "
               "over problems; Δ = ours − paper in percentage points; paper vs CI: OUTSIDE when the paper's "
               "number falls outside our interval. A model the paper did not evaluate has no paper value."),
        notes=["Read a gap against the protocol column: fewer problems, fewer samples or a shorter token budget "
               "than the paper's make the comparison indicative only."],
    )


def manifest_table(runs: list[Run]) -> Table:
    fields = [manifest_fields(run) for run in runs]
    headers = list(fields[0]) if fields else list(manifest_fields(Run({})))
    return Table(
        "Manifest: what makes each number reproducible", headers, [[f[h] for h in headers] for f in fields],
        slug="manifest",
        intro=("From the store's runs/<run>.json (written by `python -m evals run`) and results/<run>.json. "
               "'not recorded' marks what evals did not record for that run."),
    )


def paper_tables(data: dict[str, Any]) -> list[Table]:
    """The paper's Tables 2, 4 and 5 as printed, with our registry names and benchmark names added."""
    models: dict[str, str | None] = data["models"]
    out = []
    for t in data["tables"]:
        if t["rows_are"] == "models":
            headers = ["model (paper)", "ours"] + [
                f"{c['label']} [{c['benchmark'] or NONE}]" for c in t["columns"]]
            rows = [[r["label"], models.get(r["label"]) or NONE] + [_num(v) for v in r["values"]] for r in t["rows"]]
        else:
            headers = ["benchmark (paper)", "ours"] + [
                f"{m} ({models[m]})" if models.get(m) else m for m in t["columns"]]
            rows = [[r["label"], f"{r['benchmark']} {r['metric']}" if r["benchmark"] else NONE]
                    + [_num(v) for v in r["values"]] for r in t["rows"]]
        slug = t["table"].lower().replace(" ", "-")
        out.append(Table(f"Paper, {t['table']}: {t['caption']}", headers, rows, slug=slug,
                         intro=f"Transcribed from {data['paper']} ({data['seed_text']}); '—' is the paper's '-'."))
    return out


def _num(value: float | int | None) -> str:
    if value is None:
        return NONE
    return str(value) if isinstance(value, int) else f"{value:.1f}"
