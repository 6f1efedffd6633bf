"""Runs: every run of the store, one row per (model, benchmark), with pass@1 ± CI, cons@k, pass@k,
truncation and tokens, filtered by model and benchmark; pass@1 with its interval as a chart, and the
response-length distribution of correct and wrong answers per benchmark."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from app import charts, ui

# (column of summaries.run_summary, format): what fits a page without a horizontal scroll; ids are below
FORMATS = {"k": "{:d}", "problems": "{:,d}", "samples": "{:,d}", "pass@k %": "{:.1f}", "cons@k %": "{:.1f}",
           "truncated %": "{:.1f}", "no answer %": "{:.1f}", "mean tokens": "{:,.0f}"}
MAX_HISTOGRAMS = 12  # runs whose length histograms are drawn at once (one query each)


def display_table(table: pd.DataFrame) -> pd.DataFrame:
    """The summary as shown: pass@1 with its interval in one cell; at k=1 pass@k and cons@k equal pass@1 and
    say nothing, so they are `—`, as is a number the store does not have (tokens of a file without them)."""
    data = table.copy()
    single = data.k <= 1
    data["pass@k %"] = data["pass@k %"].astype("float64").where(~single)
    data["cons@k %"] = data["cons@k %"].astype("float64").where(~single)
    out = ui.shown(data[["model", "benchmark", "k", "problems", "samples"]], FORMATS)
    out.insert(5, "pass@1 % ± 95% CI", [ui.fmt(v, ci) for v, ci in zip(data["pass@1 %"], data["± (95% CI)"])])
    return pd.concat([out, ui.shown(data[["pass@k %", "cons@k %", "truncated %", "no answer %", "mean tokens"]],
                                    FORMATS)], axis=1)


def length_histograms(ctx: ui.Ctx, runs: tuple) -> None:
    frames = [ctx.q("length_histogram", ui.run_key(r)) for r in runs[:MAX_HISTOGRAMS]]
    frames = [f.assign(model=f"{r['model']} ({f.unit.iloc[0]})" if len(f) else r["model"], benchmark=r["benchmark"])
              for f, r in zip(frames, runs)]
    data = pd.concat([f for f in frames if not f.empty] or [pd.DataFrame()])
    if data.empty:
        return
    st.subheader("Response length, correct and wrong, per benchmark")
    if len(runs) > MAX_HISTOGRAMS:
        st.caption(f"The first {MAX_HISTOGRAMS} of {len(runs)} runs; filter by model or benchmark for others.")
    chart = charts.length_histogram(data, "response length").properties(width=360, height=140).facet(
        row=alt.Row("model:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left", labelLimit=220)),
        column="benchmark:N").resolve_scale(x="independent", y="independent")
    st.altair_chart(chart)
    st.caption("Equal-width bins from 0 to the run's longest response; lengths in tokens, or in characters for a "
               "replayed file that records no token counts.")


def render() -> None:
    st.title("Runs")
    ctx = ui.context()
    models = sorted({r["model"] for r in ctx.runs})
    benchmarks = sorted({r["benchmark"] for r in ctx.runs})
    left, right = st.columns(2)
    chosen_models = left.multiselect("Models", models, key="runs_models", placeholder="all models")
    chosen_benchmarks = right.multiselect("Benchmarks", benchmarks, key="runs_benchmarks", placeholder="all benchmarks")
    runs = tuple(r for r in ctx.runs if (not chosen_models or r["model"] in chosen_models)
                 and (not chosen_benchmarks or r["benchmark"] in chosen_benchmarks))
    if not runs:
        st.info("No run matches these filters.")
        return
    table = ui.summary(ctx.root, ctx.fp, runs)
    st.caption("pass@1: mean over each problem's k samples, then over problems, ± half the 95% bootstrap "
               "interval over problems; pass@k: unbiased estimator at the run's k; cons@k: majority vote, from "
               "the run's results file (— while a run is still going, and at k=1, where both equal pass@1). "
               "Live: recomputed from the stored samples.")
    st.dataframe(display_table(table), hide_index=True, width="stretch",
                 column_config={"model": st.column_config.TextColumn(pinned=True)})
    with st.expander("Run ids and sampling settings"):
        st.dataframe(pd.DataFrame([{"model": r["model"], "benchmark": r["benchmark"], "run id": r["run_id"],
                                    "sampling hash": r["sampling_hash"], "sampling (as recorded)": ", ".join(
                                        f"{k} {v}" for k, v in sorted(r["sampling"].items())) or "—"}
                                   for r in runs]), hide_index=True, width="stretch")
    st.subheader("pass@1 with its 95% interval")
    st.altair_chart(charts.runs_pass1(table))
    if len(benchmarks) > 1 and len(models) > 1:
        st.subheader("pass@1 % by model and benchmark")
        pivot = table.pivot_table(index="model", columns="benchmark", values="pass@1 %", aggfunc="max")
        st.dataframe(ui.shown(pivot, {c: "{:.1f}" for c in pivot.columns}), width="stretch")
    length_histograms(ctx, runs)


render()
