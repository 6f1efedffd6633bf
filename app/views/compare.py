"""Compare two runs: per-benchmark deltas of two models, and the problems one solves and the other not."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from app import summaries, ui


def configs(ctx: ui.Ctx) -> list[tuple[str, str, str]]:
    return sorted({(r["model"], r["revision"], r["sampling_hash"]) for r in ctx.runs})


def deltas(ctx: ui.Ctx, a: tuple, b: tuple) -> pd.DataFrame:
    mine = lambda cfg: {r["benchmark"]: r for r in ctx.runs if (r["model"], r["revision"], r["sampling_hash"]) == cfg}
    runs_a, runs_b = mine(a), mine(b)
    shared = sorted(set(runs_a) & set(runs_b))
    table = ui.summary(ctx.root, ctx.fp, tuple([runs_a[x] for x in shared] + [runs_b[x] for x in shared]))
    rows = []
    for bench in shared:
        ra = table[table.run_id == runs_a[bench]["run_id"]].iloc[0]
        rb = table[table.run_id == runs_b[bench]["run_id"]].iloc[0]
        rows.append({"benchmark": bench, "pass@1 % A": ra["pass@1 %"], "pass@1 % B": rb["pass@1 %"],
                     "Δ pass@1 (A−B)": ra["pass@1 %"] - rb["pass@1 %"], "± A": ra["± (95% CI)"], "± B": rb["± (95% CI)"],
                     "truncated % A": ra["truncated %"], "truncated % B": rb["truncated %"],
                     "tokens A": ra["mean tokens"], "tokens B": rb["mean tokens"]})
    return pd.DataFrame(rows)


def render() -> None:
    st.title("Compare runs")
    ctx = ui.context()
    options = configs(ctx)
    label = lambda i: f"{options[i][0]} @ {options[i][1]} · sampling {options[i][2][:8]}"
    c = st.columns(2)
    a = options[c[0].selectbox("Run A", range(len(options)), format_func=label, key="cmp_a") or 0]
    b = options[c[1].selectbox("Run B", range(len(options)), index=min(1, len(options) - 1), format_func=label,
                               key="cmp_b") or 0]
    table = deltas(ctx, a, b)
    if table.empty:
        st.info("These two have no benchmark in common.")
        return
    st.subheader("Per-benchmark deltas")
    st.dataframe(table.style.format(precision=1, na_rep="—"), hide_index=True, width="stretch")
    bench = st.selectbox("Benchmark for the per-problem comparison", list(table.benchmark), key="cmp_bench")
    run_a = next(r for r in ctx.runs if (r["model"], r["revision"], r["sampling_hash"]) == a and r["benchmark"] == bench)
    run_b = next(r for r in ctx.runs if (r["model"], r["revision"], r["sampling_hash"]) == b and r["benchmark"] == bench)
    stats = ctx.stats([run_a, run_b])
    both = summaries.compare_problems(stats[stats.run_id == run_a["run_id"]], stats[stats.run_id == run_b["run_id"]])
    counts = both.outcome.value_counts()
    cols = st.columns(4)
    for col, outcome in zip(cols, ("only A solves", "only B solves", "both solve", "both fail")):
        col.metric(outcome, int(counts.get(outcome, 0)))
    show = st.radio("Show", ["only A solves", "only B solves", "all"], horizontal=True, key="cmp_show")
    view = both if show == "all" else both[both.outcome == show]
    st.caption("solves = at least one correct sample; rates are each run's pass@1 on the problem")
    st.dataframe(view, hide_index=True, width="stretch",
                 column_config={c: st.column_config.NumberColumn(format="%.2f") for c in ("rate_a", "rate_b", "delta")})


render()
