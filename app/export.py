"""`python -m app export STORE RUN -o run.html`: one run's browser as a single self-contained HTML file
to attach to a paper review or a pull request.

Everything is inline (styles, the few lines of script that filter and search, the charts as SVG), so it
opens offline and from an e-mail attachment; with scripts off it is still all readable (every sample is
there, folded). Formulas are shown as their TeX source: the KaTeX the app uses is not available as a
standalone file here, and TeX is what a reviewer can check anyway. Numbers are the app's (`evals`
estimators over the store's samples).
"""
from __future__ import annotations

import argparse
import datetime as dt
import html
import json
from pathlib import Path
from typing import Any

from evals.errors import DataError, report_errors

from . import export_html, queries, sources, summaries
from .text_render import fold, trace_parts

__all__ = ["main", "parse", "resolve_run", "build"]


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m app export", description=__doc__.split("\n\n")[0].split(": ", 1)[1],
                                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=(
                                    "RUN is a run id (runs/<id>.json in the store), a unique prefix of one, or "
                                    "MODEL:BENCHMARK.\nexample: python -m app export runs/store "
                                    "deepseek-r1:aime24 -o r1_aime24.html"))
    p.add_argument("store", help="the evals store (the directory `python -m evals run --db` wrote)")
    p.add_argument("run", help="which run: a run id, a unique prefix of one, or MODEL:BENCHMARK")
    p.add_argument("-o", "--output", default=None, help="the HTML file to write (default: <run id>.html here)")
    return p.parse_args(argv)


def resolve_run(runs: list[dict[str, Any]], spec: str, where: str) -> dict[str, Any]:
    """The one run `spec` names; a DataError listing the runs otherwise."""
    exact = [r for r in runs if r["run_id"] == spec or f"{r['model']}:{r['benchmark']}" == spec]
    found = exact or [r for r in runs if r["run_id"].startswith(spec)]
    if len(found) == 1:
        return found[0]
    listing = "\n".join(f"  {r['run_id']}   ({r['model']}:{r['benchmark']}, k={r['k']})" for r in runs) or "  (none)"
    what = "names several runs" if found else "names no run"
    raise DataError(f"{where}: RUN {spec!r} {what}; pass a run id, a unique prefix or MODEL:BENCHMARK:\n{listing}")


def _esc(x: Any) -> str:
    return "—" if x is None or (isinstance(x, float) and x != x) else html.escape(str(x))


def _pct(x: Any, ci: Any = None) -> str:
    if x is None or x != x:
        return "—"
    return f"{x:.1f}" + (f" ± {ci:.1f}" if ci is not None and ci == ci else "")


def _when(stamp: Any) -> str:
    try:  # runs/*.json carry a Unix time
        return dt.datetime.fromtimestamp(float(stamp), dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    except (TypeError, ValueError):
        return str(stamp or "—")


def _text_block(text: str, cls: str, label: str) -> str:
    """A long text with its middle folded into a <details> (the app's `fold`)."""
    if not text:
        return f'<p class="muted">(no {label})</p>'
    parts = fold(text)
    if not parts.folded:
        return f'<pre class="{cls}">{html.escape(text)}</pre>'
    return (f'<pre class="{cls}">{html.escape(parts.head)}</pre><details class="fold"><summary>… '
            f'{len(parts.middle):,} characters of the {label} folded: show</summary><pre class="{cls}">'
            f'{html.escape(parts.middle)}</pre></details><pre class="{cls}">{html.escape(parts.tail)}</pre>')


def _sample(row: dict[str, Any], problem: dict[str, Any]) -> str:
    reasoning, answer = trace_parts(row)
    outcome = "correct" if row["correct"] else ("unverified" if row["reason"] == queries.UNVERIFIED else "wrong")
    extracted = row.get("extracted")
    gold = problem.get("gold")
    context = ""
    for where, text in (("answer region", answer), ("reasoning", reasoning)):
        if extracted and extracted in text:
            cut = text.rfind(extracted)
            snippet = text[max(0, cut - 300):cut + len(extracted) + 150]
            context = (f'<p class="muted">extracted answer, last occurrence in the {where} (character {cut:,})</p>'
                       f'<pre class="ctx">{export_html.highlight(snippet, extracted)}</pre>')
            break
    tokens = (f"{int(row['completion_tokens']):,} tokens" if row.get("completion_tokens") is not None
              else "tokens not recorded")
    return f"""
<details class="sample {outcome}" data-outcome="{outcome}" data-reason="{_esc(row['reason'])}">
<summary><span class="badge {outcome}">{outcome}</span> <b>{_esc(row['problem_id'])}</b> #{row['sample_index']}
 · {_esc(row['reason'])} · extracted <code>{_esc(extracted)}</code> · gold <code>{_esc(gold)}</code>
 · {tokens} · {len(reasoning) + len(answer):,} characters</summary>
<table class="answers"><tr><th>gold</th><th>extracted</th><th>normalised (as compared)</th><th>finish</th></tr>
<tr><td><code>{_esc(gold)}</code></td><td><code>{_esc(extracted)}</code></td><td><code>{_esc(row.get('normalized'))}</code>
</td><td>{_esc(row.get('finish_reason'))}</td></tr></table>
{context}
<details><summary>problem</summary>{export_html.problem(problem.get('text') or '(problem text not available here)')}
</details>
<h4>reasoning ({len(reasoning):,} characters)</h4>{_text_block(reasoning, 'trace', 'reasoning')}
<h4>answer region ({len(answer):,} characters)</h4>{_text_block(answer, 'trace', 'answer region')}
</details>"""


def build(root: str | Path, spec: str) -> tuple[dict[str, Any], str]:
    """(the run, its HTML page)."""
    store, con = sources.open_store(root)
    run = resolve_run(sources.list_runs(store), spec, str(root))
    key = queries.RunKey.of(run)
    stats = queries.problem_stats(con, (key,))
    s = summaries.summarise_run(stats, run["k"])
    problems = sources.benchmark_problems(run["benchmark"], run["data"])
    samples = queries.run_samples(con, key)
    samples = samples.astype(object).where(samples.notna(), None)  # a missing value is None, never NaN
    reasons = queries.reason_counts(con, key, True)
    hist = queries.length_histogram(con, key)
    charts = [export_html.svg_bars("Why samples failed (% of all samples)",
                                   [(r, p, f"{p:.1f}% ({n})") for r, n, p in zip(reasons.reason, reasons.samples, reasons["share %"])]),
              export_html.svg_histogram(f"Response length ({hist.unit.iloc[0] if len(hist) else 'tokens'}), "
                                        "correct and wrong", hist)]
    fields = [f for f in ("level", "subject", "difficulty") if any(f in p for p in problems.values())]
    tables = [export_html.breakdown(f, summaries.breakdown_table(stats, problems, f)) for f in fields]
    tiles = {"pass@1 %": _pct(s.get("pass@1 %"), s.get("± (95% CI)")),
             "pass@k %": f"{_pct(s.get('pass@k %'))} (k={run['k']})" if run["k"] > 1 else "— (k=1)",
             "truncated %": _pct(s.get("truncated %")), "no answer %": _pct(s.get("no answer %")),
             "mean tokens": "—" if s.get("mean tokens") is None else f"{s['mean tokens']:,.0f}",
             "problems · samples": f"{s.get('problems', 0):,} · {s.get('samples', 0):,}"}
    sampling = ", ".join(f"{k} {v}" for k, v in sorted(run["sampling"].items())) or "not recorded"
    head = {"model": f"{run['model']} @ {run['revision']}", "benchmark": run["benchmark"], "k": run["k"],
            "run id": run["run_id"], "sampling (as recorded in the run)": sampling,
            "verifier": run.get("verifier"), "created": _when(run.get("created_at")),
            "exported": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
    body = "".join(_sample(r, problems.get(r["problem_id"], {})) for r in samples.to_dict("records"))
    page = export_html.page(title=f"{run['model']} · {run['benchmark']}", head=head, tiles=tiles,
                            charts=charts, tables=tables, reasons=sorted(set(samples.reason)), samples=body,
                            count=len(samples))
    con.close()
    return run, page


def _dispatch(args: argparse.Namespace) -> int:
    try:
        run, page = build(args.store, args.run)
    except sources.StoreMissing as exc:
        raise DataError(f"STORE {args.store}: not an evals store (no samples/ and runs/ inside); pass the "
                        "directory `python -m evals run --db` wrote") from exc
    out = Path(args.output or f"{run['run_id']}.html")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB): {run['model']} · {run['benchmark']}, "
          f"{json.dumps(run['run_id'])}; open it in any browser, offline")
    return 0


def main(argv: list[str] | None = None) -> int:
    """The exit code; `python -m app export` (app/__main__.py) exits with it."""
    return report_errors(_dispatch, parse(argv))
