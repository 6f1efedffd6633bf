"""Run detail: pass@1 by subject / level / difficulty with intervals, response lengths of correct and
wrong answers, accuracy against length (quantile bins with a minimum count), the pass@k curve, why
samples failed, and the language consistency of the chains of thought of one run."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from app import charts, summaries, ui
from evals import report

MIN_PER_BIN = 30  # fewer samples than this per length bin and its accuracy is noise (±18 points at 50%)


def breakdowns(ctx: ui.Ctx, run: dict, stats: pd.DataFrame) -> None:
    meta = ui.problems(run["benchmark"], tuple(sorted(run["data"].items())))
    fields = ui.breakdown_fields(meta)
    if not fields:
        st.caption("This benchmark's problems carry no subject, level or difficulty here.")
        return
    cols = st.columns(len(fields))
    for col, field in zip(cols, fields):
        table = summaries.breakdown_table(stats, meta, field)
        col.markdown(f"**pass@1 by {field}** (95% bootstrap interval over problems)")
        col.altair_chart(charts.intervals(table, field), width="stretch")
        with col.expander(f"pass@1 by {field}: table"):
            st.dataframe(table, hide_index=True, width="stretch", column_config={
                c: st.column_config.NumberColumn(format="%.1f") for c in ("pass@1 %", "low", "high")})


def plots(ctx: ui.Ctx, run: dict) -> None:
    key = ui.run_key(run)
    left, right = st.columns(2)
    hist = ctx.q("length_histogram", key)
    left.markdown("**Response length, correct and wrong**")
    if hist.empty:
        left.caption("No response lengths stored for this run.")
    else:
        left.altair_chart(charts.length_histogram(hist), width="stretch")
        if (hist.unit == "characters").any():
            left.caption("This run's samples carry no token counts (a replayed file without them): characters.")
    lengths = ctx.q("length_accuracy", key, 10, MIN_PER_BIN)
    right.markdown("**Accuracy against response length** (quantile bins, Wilson 95% interval)")
    if len(lengths) < 2:
        right.caption(f"{int(lengths.samples.sum()) if len(lengths) else 0} samples with a length: too few for two "
                      f"bins of {MIN_PER_BIN} (accuracy over fewer samples per bin is noise).")
    else:
        right.altair_chart(charts.length_accuracy(lengths), width="stretch")
        right.caption(f"{len(lengths)} bins of ≥{min(MIN_PER_BIN, int(lengths.samples.sum()))} samples each "
                      f"({int(lengths.samples.sum()):,} samples; fewer bins when the run is small)")
    left, right = st.columns(2)
    curve = ui.pass_at_k_curve(ctx.root, ctx.fp, run)
    left.markdown(f"**pass@k curve** (problems with {run['k']} samples)")
    if run["k"] < 2:
        left.caption("One sample per problem: pass@k needs k ≥ 2 (`--samples`).")
    elif not curve.empty:
        left.altair_chart(charts.pass_at_k(curve), width="stretch")
    reasons = ctx.q("reason_counts", key, True)
    right.markdown("**Why samples failed** (answer verdict reasons, correct ones left out)")
    if reasons.empty:
        right.caption("No failed sample in this run.")
    else:
        right.altair_chart(charts.failure_reasons(reasons), width="stretch")
    language = ctx.q("language_histogram", key)
    st.markdown("**Language consistency of the reasoning** (share of words in the prompt's language)")
    if language.empty:
        st.caption("No language signals stored for this run.")
    else:
        high = int(language[language.bin_start >= 0.9 - 1e-9].samples.sum())
        st.altair_chart(charts.language(language), width="stretch")
        st.caption(f"{high:,} of {int(language.samples.sum()):,} chains of thought "
                   f"({100 * high / language.samples.sum():.1f}%) are ≥90% in the prompt's language.")


def render() -> None:
    st.title("Run detail")
    ctx = ui.context()
    run = ui.pick_run(ctx, "Run", key="detail_run")
    stats = ctx.stats([run])
    s = summaries.summarise_run(stats, run["k"])
    cols = st.columns(5)
    cols[0].metric("pass@1 %", ui.fmt(s.get("pass@1 %"), s.get("± (95% CI)")))
    cols[1].metric(f"pass@{run['k']} %", ui.fmt(s.get("pass@k %")) if run["k"] > 1 else "— (k=1)")
    cols[2].metric("truncated %", ui.fmt(s.get("truncated %")))
    cols[3].metric("mean tokens", ui.fmt(s.get("mean tokens"), digits=0))
    cols[4].metric("problems · samples", f"{s['problems']:,} · {s['samples']:,}")
    rating = (run.get("result") or {}).get("rating")
    if rating:  # a Codeforces run (evals.contest_rating): its rating as `evals show` prints it
        st.markdown(f"**Codeforces** {report.rating_line(run['result'])}")
    breakdowns(ctx, run, stats)
    plots(ctx, run)


render()
