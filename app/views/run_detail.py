"""Run detail: pass@1 by subject / level / difficulty, accuracy against response length, the pass@k
curve, the failure reasons and language consistency of one run."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from app import summaries, ui
from evals import report


def breakdowns(ctx: ui.Ctx, run: dict, stats: pd.DataFrame) -> None:
    meta = ui.problems(run["benchmark"], tuple(sorted(run["data"].items())))
    fields = sorted({f for m in meta.values() for f in m if f not in ("text", "gold")
                     and isinstance(m[f], (str, int, float)) and len({str(x.get(f)) for x in meta.values()}) <= 50})
    if not fields:
        st.caption("This benchmark's problems carry no subject, level or difficulty here.")
        return
    cols = st.columns(len(fields))
    for col, field in zip(cols, fields):
        table = summaries.breakdown_table(stats, meta, field)
        col.markdown(f"**pass@1 by {field}**")
        col.dataframe(table, hide_index=True, width="stretch",
                      column_config={c: st.column_config.NumberColumn(format="%.1f") for c in ("pass@1 %", "low", "high")})


def plots(ctx: ui.Ctx, run: dict, stats: pd.DataFrame) -> None:
    key = ui.run_key(run)
    left, right = st.columns(2)
    lengths = ctx.q("length_accuracy", key)
    left.markdown("**Accuracy against response length** (equal-count bins)")
    if not lengths.empty:
        left.altair_chart(alt.Chart(lengths).mark_line(point=True).encode(
            x=alt.X("mean_tokens:Q", title="response tokens (bin mean)"),
            y=alt.Y("accuracy:Q", title="accuracy", scale=alt.Scale(domain=[0, 1])),
            tooltip=["min_tokens", "max_tokens", "samples", alt.Tooltip("accuracy:Q", format=".2f")]),
            width="stretch")
    curve = ui.pass_at_k_curve(ctx.root, ctx.fp, run)
    right.markdown(f"**pass@k curve** (problems with {run['k']} samples)")
    if not curve.empty:
        base = alt.Chart(curve).encode(x=alt.X("k:Q", scale=alt.Scale(type="log", base=2), title="k"))
        right.altair_chart(base.mark_area(opacity=0.2).encode(y="low:Q", y2="high:Q")
                           + base.mark_line(point=True).encode(y=alt.Y("pass@k %:Q", scale=alt.Scale(domain=[0, 100]))),
                           width="stretch")
    left, right = st.columns(2)
    reasons = ctx.q("reason_counts", key)
    left.markdown("**Failure reasons** (answer verdicts)")
    left.altair_chart(alt.Chart(reasons).mark_bar().encode(
        x="samples:Q", y=alt.Y("reason:N", sort="-x"), color=alt.Color("reason:N", legend=None)),
        width="stretch")
    language = ctx.q("language_histogram", key)
    right.markdown("**Language consistency of the reasoning** (share of words in the prompt's language)")
    if language.empty:
        right.caption("No language signals stored for this run.")
    else:
        right.altair_chart(alt.Chart(language).mark_bar().encode(
            x=alt.X("bin_start:Q", scale=alt.Scale(domain=[0, 1]), title="language consistency"), x2="bin_end:Q",
            y=alt.Y("samples:Q", stack=True), color="correct:N"), width="stretch")


def render() -> None:
    st.title("Run detail")
    ctx = ui.context()
    run = ui.pick_run(ctx, "Run", key="detail_run")
    stats = ctx.stats([run])
    s = summaries.summarise_run(stats, run["k"])
    cols = st.columns(5)
    cols[0].metric("pass@1 %", "—" if s.get("pass@1 %") is None else f"{s['pass@1 %']:.1f} ± {s['± (95% CI)']:.1f}")
    cols[1].metric(f"pass@{run['k']} %", "—" if s.get("pass@k %") is None else f"{s['pass@k %']:.1f}")
    cols[2].metric("truncated %", f"{s.get('truncated %', 0):.1f}")
    cols[3].metric("mean tokens", "—" if s.get("mean tokens") is None else f"{s['mean tokens']:.0f}")
    cols[4].metric("problems · samples", f"{s['problems']:,} · {s['samples']:,}")
    rating = (run.get("result") or {}).get("rating")
    if rating:  # a Codeforces run (evals.contest_rating): its rating as `evals show` prints it
        st.markdown(f"**Codeforces** {report.rating_line(run['result'])}")
    breakdowns(ctx, run, stats)
    plots(ctx, run, stats)


render()
