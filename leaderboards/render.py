"""Renderers: Markdown (for a README), one self-contained static HTML page (inline CSS and a few lines
of inline JavaScript to sort any column by clicking its header; no external assets, no server), and
CSV (raw numbers, for spreadsheets and scripts).
"""
from __future__ import annotations

import csv
import html
import io
import math

from .compare import Comparison, factor
from .measured import Run, manifest_fields
from .reference import Reference
from .tables import FLAG_OUTSIDE, Table

__all__ = ["to_markdown", "to_html", "comparison_csv", "manifest_csv", "reference_csv"]


# ---- Markdown --------------------------------------------------------------------------------------
def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def md_table(table: Table) -> str:
    lines = ["| " + " | ".join(_md_cell(h) for h in table.headers) + " |",
             "|" + "|".join("---" for _ in table.headers) + "|"]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in table.rows]
    return "\n".join(lines)


def to_markdown(title: str, subtitle: str, tables: list[Table]) -> str:
    parts = [f"# {title}", "", subtitle, ""]
    for t in tables:
        parts += [f"## {t.title}", ""]
        if t.intro:
            parts += [t.intro, ""]
        parts += [md_table(t) if t.rows else "_No rows._", ""]
        parts += [f"_{note}_\n" for note in t.notes]
    return "\n".join(parts).rstrip() + "\n"


# ---- HTML ------------------------------------------------------------------------------------------
_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0 2em;font-size:13px}
th,td{border:1px solid #ccc;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f0f0f0;cursor:pointer;user-select:none;position:sticky;top:0}
th.asc::after{content:" \\25B2"}th.desc::after{content:" \\25BC"}
tr:nth-child(even) td{background:#fafafa}td.flag{background:#fdd!important;font-weight:bold}
p.intro{max-width:70em}p.note{font-style:italic;max-width:70em}
"""

# Click a header to sort by it; click again to reverse. Numbers ("71.0 ± 3.2", "+4.1") sort as numbers.
_JS = """
function num(t){t=t.trim().replace(/^\\+/,'');var v=parseFloat(t);return /^-?\\d/.test(t)&&!isNaN(v)?v:null}
function sortBy(th){var table=th.closest('table'),i=Array.prototype.indexOf.call(th.parentNode.children,th),
 asc=!th.classList.contains('asc'),body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows);
 rows.sort(function(a,b){var x=a.cells[i].textContent,y=b.cells[i].textContent,p=num(x),q=num(y);
  var c=(p!==null&&q!==null)?p-q:(p!==null?-1:(q!==null?1:x.localeCompare(y)));return asc?c:-c});
 rows.forEach(function(r){body.appendChild(r)});
 table.querySelectorAll('th').forEach(function(h){h.classList.remove('asc','desc')});
 th.classList.add(asc?'asc':'desc')}
document.querySelectorAll('table.sortable th').forEach(function(th){
 th.addEventListener('click',function(){sortBy(th)})});
"""


def html_table(table: Table) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in table.headers)
    rows = []
    for row in table.rows:
        cells = "".join(f'<td class="flag">{html.escape(c)}</td>' if FLAG_OUTSIDE in c else f"<td>{html.escape(c)}</td>"
                        for c in row)
        rows.append(f"<tr>{cells}</tr>")
    return (f'<table class="sortable" id="{html.escape(table.slug)}"><thead><tr>{head}</tr></thead>'
            f"<tbody>\n{chr(10).join(rows)}\n</tbody></table>")


def to_html(title: str, subtitle: str, tables: list[Table]) -> str:
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
             f"<h1>{html.escape(title)}</h1>", f'<p class="intro">{html.escape(subtitle)}</p>']
    for t in tables:
        parts.append(f"<h2>{html.escape(t.title)}</h2>")
        if t.intro:
            parts.append(f'<p class="intro">{html.escape(t.intro)}</p>')
        parts.append(html_table(t) if t.rows else "<p><em>No rows.</em></p>")
        parts += [f'<p class="note">{html.escape(n)}</p>' for n in t.notes]
    parts.append(f"<script>{_JS}</script></body></html>")
    return "\n".join(parts) + "\n"


# ---- CSV -------------------------------------------------------------------------------------------
def _csv(header: list[str], rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _pct(x: float, metric: str) -> str:
    return "" if math.isnan(x) else f"{x * factor(metric):.4f}"


def comparison_csv(rows: list[Comparison]) -> str:
    """One line per (run, metric), numbers in percent (a rating in rating points), the run's manifest fields alongside."""
    fields = list(manifest_fields(Run({})))
    header = ["benchmark", "metric", "ours", "ci_low", "ci_high", "paper", "delta", "paper_outside_ci",
              "paper_source", "n", "protocol"] + [f.replace(" ", "_") for f in fields]
    body = []
    for c in rows:
        manifest = manifest_fields(c.run)
        body.append([c.run.benchmark, c.metric, _pct(c.ours.value, c.metric), _pct(c.ours.low, c.metric), _pct(c.ours.high, c.metric),
                     "" if c.paper is None else c.paper, "" if c.delta is None else f"{c.delta:.4f}",
                     "" if c.outside is None else str(c.outside).lower(),
                     "; ".join(r.source for r in c.references), c.ours.n, c.protocol]
                    + [manifest[f] for f in fields])
    return _csv(header, body)


def manifest_csv(runs: list[Run]) -> str:
    fields = list(manifest_fields(Run({})))
    return _csv([f.replace(" ", "_") for f in fields], [[manifest_fields(r)[f] for f in fields] for r in runs])


def reference_csv(references: list[Reference]) -> str:
    header = ["table", "column", "row", "model", "benchmark", "metric", "value"]
    return _csv(header, [[r.table, r.column, r.row, r.model or "", r.benchmark or "", r.metric, r.value]
                         for r in references])
