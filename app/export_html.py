"""The static export's HTML pieces: the page (inline CSS and script), SVG charts drawn by hand (no
charting library to inline, nothing fetched at view time), tables, and problem text with [asy] figures
kept as code."""
from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from .text_render import highlight_html

COLOURS = {"correct": "#2e7d32", "wrong": "#c62828", "unverified": "#9e9e9e"}

CSS = """
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;max-width:1200px;padding:1em 2em;
color:#212121}
h1{margin-bottom:.2em} h4{margin:.8em 0 .2em} code{background:#f3f3f3;padding:0 .25em;border-radius:3px}
.meta td{padding:0 1em 0 0;vertical-align:top}.meta td:first-child{color:#616161}
.tiles{display:flex;gap:1em;flex-wrap:wrap;margin:1em 0}.tile{border:1px solid #e0e0e0;border-radius:6px;padding:.5em 1em}
.tile b{display:block;font-size:1.4em}.charts{display:flex;gap:2em;flex-wrap:wrap}
table.data{border-collapse:collapse;margin:.5em 2em .5em 0;display:inline-table}
table.data td,table.data th{border-bottom:1px solid #eee;padding:.15em .6em;text-align:right}
table.data td:first-child,table.data th:first-child{text-align:left}
pre{white-space:pre-wrap;word-wrap:break-word;font:13px/1.4 ui-monospace,Menlo,Consolas,monospace;margin:.3em 0}
pre.trace{background:#fafafa;border-left:3px solid #e0e0e0;padding:.4em .8em}
pre.ctx{background:#fffde7;padding:.4em .8em} mark{background:#ffeb3b}
details.sample{border:1px solid #e0e0e0;border-radius:6px;margin:.4em 0;padding:.3em .8em}
details.sample>summary{cursor:pointer}.badge{color:#fff;border-radius:3px;padding:0 .4em;font-size:.85em}
.badge.correct{background:#2e7d32}.badge.wrong{background:#c62828}.badge.unverified{background:#9e9e9e}
details.fold>summary{color:#1565c0;cursor:pointer}.muted{color:#757575;font-size:.9em;margin:.2em 0}
.controls{position:sticky;top:0;background:#fff;padding:.5em 0;border-bottom:1px solid #e0e0e0;z-index:1}
.controls input{width:20em}.answers td,.answers th{padding:0 1em 0 0;text-align:left}
"""

SCRIPT = """
const q = s => document.querySelector(s), all = s => [...document.querySelectorAll(s)];
function apply() {
  const o = q('#outcome').value, r = q('#reason').value, t = q('#search').value.trim().toLowerCase();
  let shown = 0;
  for (const d of all('details.sample')) {
    const ok = (!o || d.dataset.outcome === o) && (!r || d.dataset.reason === r)
      && (!t || d.textContent.toLowerCase().includes(t));
    d.style.display = ok ? '' : 'none'; shown += ok;
    if (ok && t) { d.open = true; }
  }
  q('#shown').textContent = shown;
}
for (const id of ['#outcome', '#reason', '#search']) {
  q(id).addEventListener('input', apply); q(id).addEventListener('change', apply);
}
"""


def highlight(text: str, needle: str) -> str:
    return highlight_html(text, needle)


def problem(text: str) -> str:
    """Problem text as it was written; an [asy] figure's code set apart as code."""
    parts = re.split(r"(\[asy\].*?\[/asy\])", text, flags=re.DOTALL)
    return "".join(f'<pre class="trace">{html.escape(p)}</pre>' if p.startswith("[asy]") else
                   f"<pre>{html.escape(p.strip())}</pre>" for p in parts if p.strip())


def svg_bars(title: str, items: Sequence[tuple[str, float, str]], width: int = 460) -> str:
    """Horizontal bars: (label, value, text shown beside the bar)."""
    if not items:
        return f"<figure><figcaption><b>{html.escape(title)}</b></figcaption><p class='muted'>none</p></figure>"
    top = max(v for _, v, _ in items) or 1
    row, left = 24, 130
    bars = "".join(
        f'<text x="{left - 6}" y="{i * row + 16}" text-anchor="end" font-size="12">{html.escape(label)}</text>'
        f'<rect x="{left}" y="{i * row + 4}" width="{(width - left - 110) * v / top:.1f}" height="{row - 8}" '
        f'fill="#c62828"/><text x="{left + (width - left - 110) * v / top + 6:.1f}" y="{i * row + 16}" '
        f'font-size="12">{html.escape(text)}</text>' for i, (label, v, text) in enumerate(items))
    return (f"<figure><figcaption><b>{html.escape(title)}</b></figcaption><svg width='{width}' "
            f"height='{row * len(items) + 4}' role='img'>{bars}</svg></figure>")


def svg_histogram(title: str, hist: pd.DataFrame, width: int = 520, height: int = 200) -> str:
    """Stacked columns of `queries.length_histogram` (correct, wrong, unverified), axis ticks at the ends."""
    if hist.empty:
        return f"<figure><figcaption><b>{html.escape(title)}</b></figcaption><p class='muted'>none</p></figure>"
    bins = sorted(set(zip(hist.bin_start, hist.bin_end)))
    counts = {(b, o): n for b, o, n in zip(hist.bin_start, hist.outcome, hist.samples)}
    top = max(sum(counts.get((b, o), 0) for o in COLOURS) for b, _ in bins) or 1
    lo, hi = bins[0][0], bins[-1][1]
    left, bottom, plot_w, plot_h = 40, 20, width - 50, height - 30
    x = lambda v: left + plot_w * (v - lo) / ((hi - lo) or 1)
    rects = []
    for start, end in bins:
        y = height - bottom
        for outcome, colour in COLOURS.items():
            n = counts.get((start, outcome), 0)
            h = plot_h * n / top
            if n:
                rects.append(f'<rect x="{x(start):.1f}" y="{y - h:.1f}" width="{max(1, x(end) - x(start) - 1):.1f}" '
                             f'height="{h:.1f}" fill="{colour}"><title>{outcome}: {n} ({start:,.0f}–{end:,.0f})'
                             "</title></rect>")
                y -= h
    axis = (f'<line x1="{left}" y1="{height - bottom}" x2="{left + plot_w}" y2="{height - bottom}" stroke="#9e9e9e"/>'
            f'<text x="{left}" y="{height - 5}" font-size="11">{lo:,.0f}</text>'
            f'<text x="{left + plot_w}" y="{height - 5}" font-size="11" text-anchor="end">{hi:,.0f}</text>'
            f'<text x="{left - 4}" y="{height - bottom - plot_h + 10}" font-size="11" text-anchor="end">{top}</text>'
            f'<text x="{left - 4}" y="{height - bottom}" font-size="11" text-anchor="end">0</text>')
    legend = " ".join(f'<span style="color:{c}">■ {o}</span>' for o, c in COLOURS.items())
    return (f"<figure><figcaption><b>{html.escape(title)}</b> {legend}</figcaption>"
            f"<svg width='{width}' height='{height}' role='img'>{''.join(rects)}{axis}</svg></figure>")


def breakdown(field: str, table: pd.DataFrame) -> str:
    rows = "".join(f"<tr><td>{html.escape(str(r[field]))}</td><td>{r['problems']}</td><td>{r['pass@1 %']:.1f}</td>"
                   f"<td>[{r['low']:.1f}, {r['high']:.1f}]</td></tr>" for r in table.to_dict("records"))
    return (f'<table class="data"><caption><b>pass@1 by {html.escape(field)}</b></caption><tr><th>{html.escape(field)}'
            f"</th><th>problems</th><th>pass@1 %</th><th>95% interval</th></tr>{rows}</table>")


def page(*, title: str, head: dict[str, Any], tiles: dict[str, str], charts: list[str], tables: list[str],
         reasons: list[str], samples: str, count: int) -> str:
    meta = "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(str(v))}</td></tr>" for k, v in head.items())
    tiles_html = "".join(f'<div class="tile">{html.escape(k)}<b>{html.escape(v)}</b></div>' for k, v in tiles.items())
    options = "".join(f'<option value="{html.escape(r)}">{html.escape(r)}</option>' for r in reasons)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} · r1-evals</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{CSS}</style></head>
<body><h1>{html.escape(title)}</h1>
<p class="muted">r1-evals run export: one self-contained file (no network needed). Formulas are shown as TeX source.</p>
<table class="meta">{meta}</table>
<div class="tiles">{tiles_html}</div>
<p class="muted">pass@1: mean over each problem's samples, then over problems, ± half the 95% bootstrap interval over
problems (the numbers of the app and of <code>python -m evals show</code>).</p>
<div class="charts">{''.join(charts)}</div>
<div>{''.join(tables)}</div>
<h2>Samples</h2>
<div class="controls">outcome <select id="outcome"><option value="">all</option><option>correct</option>
<option>wrong</option><option>unverified</option></select> reason <select id="reason"><option value="">any</option>
{options}</select> <input id="search" type="search" placeholder="search the texts (problem id, words, numbers)">
<span class="muted"><span id="shown">{count}</span> of {count} samples shown</span></div>
{samples}
<script>{SCRIPT}</script></body></html>
"""
