"""Runs: every run of the store, one row per (model, benchmark), with pass@1 ± CI, cons@k, pass@k,
truncation and tokens, filtered by model and benchmark."""
from __future__ import annotations

import streamlit as st

from app import ui


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
               "the run's results file (— while a run is still going). Live: recomputed from the stored samples.")
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        c: st.column_config.NumberColumn(format="%.1f")
        for c in ("pass@1 %", "± (95% CI)", "pass@k %", "cons@k %", "truncated %", "no answer %")
    } | {"mean tokens": st.column_config.NumberColumn(format="%.0f")})
    if len(benchmarks) > 1 and len(models) > 1:
        st.subheader("pass@1 % by model and benchmark")
        pivot = table.pivot_table(index="model", columns="benchmark", values="pass@1 %", aggfunc="max")
        st.dataframe(pivot.style.format("{:.1f}", na_rep="—"), width="stretch")


render()
