"""The leaderboard as plain tables of strings, one builder per section; the renderers only format them.

Sections: the paper's Tables 2, 4 and 5 with our measured number beside each of the paper's (cited by
title, arXiv id and table), then the long table (one row per run and metric) and the manifest of every run.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .compare import Comparison, factor, shown
from .measured import Run, manifest_fields, protocol_text, sampling_of

__all__ = ["PAPER", "Table", "comparison_table", "manifest_table", "ours_cell", "paper_tables", "FLAG_OUTSIDE",
           "FLAG_INSIDE"]

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
    headers = ["model", "revision", "benchmark", "metric", "ours", "95% CI", "paper", "Δ pts", "paper vs CI",
               "paper source", "n", "k", "protocol (T, top-p, token budget; departures from the paper's)", "run"]
    body = []
    for c in rows:
        e = c.ours
        body.append([
            c.run.model, str(c.run.result.get("revision") or "?"), c.run.benchmark, c.metric, _plus_minus(c.metric, e),
            f"[{e.low * factor(c.metric):.1f}, {e.high * factor(c.metric):.1f}]", NONE if c.paper is None else _num(c.paper),
            NONE if c.delta is None else f"{c.delta:+.1f}",
            NONE if c.outside is None else (FLAG_OUTSIDE if c.outside else FLAG_INSIDE),
            "; ".join(r.source for r in c.references) or NONE, str(e.n), str(c.run.k), c.protocol, c.run.run_id,
        ])
    return Table(
        "All our numbers, one row per run and metric", headers, body, slug="comparison",
        intro=("One row per run and metric. ours: evals' estimate in percent (a rating in rating points) ± half the 95% bootstrap interval "
               "over problems; Δ = ours − paper in percentage points; paper vs CI: OUTSIDE when the paper's "
               "number falls outside our interval. A model the paper did not evaluate has no paper value."),
        notes=["Read a gap against the protocol column: another temperature or token budget, fewer problems or "
               "fewer samples than the paper's make the comparison indicative only (replayed files record the "
               "protocol they state, '?' where they state none)."],
    )


def _plus_minus(metric: str, e: Any) -> str:
    """``"43.3 ± 5.1"``: Estimate's own text in percent, or the same in the metric's units (a rating)."""
    if factor(metric) == 100:
        return str(e)
    half = (e.high - e.low) / 2 * factor(metric)
    return f"{e.value * factor(metric):.1f}" + ("" if half != half else f" ± {half:.1f}")


def manifest_table(runs: list[Run]) -> Table:
    fields = [manifest_fields(run) for run in runs]
    headers = list(fields[0]) if fields else list(manifest_fields(Run({})))
    return Table(
        "Manifest: what makes each number reproducible", headers, [[f[h] for h in headers] for f in fields],
        slug="manifest",
        intro=("From the store's runs/<run>.json (written by `python -m evals run`) and results/<run>.json. "
               "'not recorded' marks what evals did not record for that run."),
    )


PAPER = ("DeepSeek-AI (2025), “DeepSeek-R1: Incentivizing Reasoning Capability in LLMs via Reinforcement Learning”, "
         "arXiv:2501.12948")


def ours_cell(found: list[Comparison]) -> str:
    """Our measurement(s) for one paper cell: value [95% CI], Δ to the paper and whether the paper's number is
    inside our interval; a run sampled under another protocol says which, so nobody reads it as like for like."""
    cells = []
    for c in found:
        e = c.ours
        text = shown(c.metric, e)
        if c.delta is not None:
            text += f", Δ {c.delta:+.1f}"
        if c.outside is not None:
            text += f", {FLAG_OUTSIDE if c.outside else FLAG_INSIDE}"
        if c.other_protocol:
            text += f"; other protocol: {protocol_text(sampling_of(c.run))}"
        if len(found) > 1:
            text += f" ({c.run.run_id})"
        cells.append(text)
    return "; ".join(cells) or NONE


def paper_tables(data: dict[str, Any], comparisons: list[Comparison] | None = None) -> list[Table]:
    """The paper's Tables 2, 4 and 5 as printed, with our measured number in a cell beside each of the paper's
    numbers we measured (a column "ours" after each column of Tables 2 and 5 that we measured for some row,
    after each model column of Table 4 whose model we ran); without ``comparisons``, the paper's tables alone."""
    from .compare import registry_name

    models: dict[str, str | None] = data["models"]
    ours: dict[tuple[str, str, str], list[Comparison]] = {}
    for c in comparisons or []:
        ours.setdefault((registry_name(c.run.model), c.run.benchmark, c.metric), []).append(c)

    def measured(model: str | None, benchmark: str | None, metric: str) -> list[Comparison]:
        return ours.get((model or "", benchmark or "", metric), [])

    with_ours = comparisons is not None
    out = []
    for t in data["tables"]:
        if t["rows_are"] == "models":
            headers = ["model (paper)", "our name"]
            ran = [c["label"] for c in t["columns"] if any(measured(models.get(r["label"]), c["benchmark"], c["metric"])
                                                           for r in t["rows"])]
            for c in t["columns"]:
                headers += [f"{c['label']} [{c['benchmark'] or NONE}]"] + ([f"ours: {c['label']}"] if c["label"] in ran else [])
            rows = []
            for r in t["rows"]:
                row = [r["label"], models.get(r["label"]) or NONE]
                for c, v in zip(t["columns"], r["values"]):
                    row.append(_num(v))
                    if c["label"] in ran:
                        row.append(ours_cell(measured(models.get(r["label"]), c["benchmark"], c["metric"])))
                rows.append(row)
        else:  # Table 4: rows are benchmarks, columns are models
            ran = [m for m in t["columns"] if any(measured(models.get(m), r["benchmark"], r["metric"])
                                                  for r in t["rows"])]
            headers = ["benchmark (paper)", "our benchmark"]
            for m in t["columns"]:
                headers.append(f"{m} ({models[m]})" if models.get(m) else m)
                if m in ran:
                    headers.append(f"ours: {m}")
            rows = []
            for r in t["rows"]:
                row = [r["label"], f"{r['benchmark']} {r['metric']}" if r["benchmark"] else NONE]
                for m, v in zip(t["columns"], r["values"]):
                    row.append(_num(v))
                    if m in ran:
                        row.append(ours_cell(measured(models.get(m), r["benchmark"], r["metric"])))
                rows.append(row)
        slug = t["table"].lower().replace(" ", "-")
        out.append(Table(
            f"Paper, {t['table']}: {t['caption']}", headers, rows, slug=slug,
            intro=(f"{PAPER}, {t['table']}" + ("." if not with_ours else ", beside our numbers from this store. Each “ours” cell: pass@1 (or the "
                   "column's metric) in percent [95% bootstrap interval over problems], Δ = ours − paper in "
                   "points, and OUTSIDE when the paper's number is outside our interval; a run sampled under "
                   "another protocol than the paper's (T 0.6, top-p 0.95, 32,768 tokens) says so. '—' is the "
                   "paper's '-' or a number we did not measure."))))
    return out


def _num(value: float | int | None) -> str:
    if value is None:
        return NONE
    return str(value) if isinstance(value, int) else f"{value:.1f}"
