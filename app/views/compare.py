"""Compare two runs: per-benchmark deltas with a paired test (paired bootstrap over problems, McNemar's
exact test on first samples), the deltas per level and subject, the problems one solves and the other
not, and the two runs' traces of one problem side by side."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from app import charts, queries, sample_view, significance, summaries, ui
from evals.store import KEY


def configs(ctx: ui.Ctx) -> list[tuple[str, str, str]]:
    return sorted({(r["model"], r["revision"], r["sampling_hash"]) for r in ctx.runs})


def _of(ctx: ui.Ctx, cfg: tuple) -> dict[str, dict]:
    return {r["benchmark"]: r for r in ctx.runs if (r["model"], r["revision"], r["sampling_hash"]) == cfg}


def _pair(ra: pd.Series, rb: pd.Series, col: str, digits: int) -> str:
    return f"{ui.fmt(ra[col], digits=digits)} / {ui.fmt(rb[col], digits=digits)}"


def deltas(ctx: ui.Ctx, a: tuple, b: tuple) -> pd.DataFrame:
    runs_a, runs_b = _of(ctx, a), _of(ctx, b)
    shared = sorted(set(runs_a) & set(runs_b))
    table = ui.summary(ctx.root, ctx.fp, tuple([runs_a[x] for x in shared] + [runs_b[x] for x in shared]))
    stats = ctx.stats([runs_a[x] for x in shared] + [runs_b[x] for x in shared])
    rows = []
    for bench in shared:
        ra = table[table.run_id == runs_a[bench]["run_id"]].iloc[0]
        rb = table[table.run_id == runs_b[bench]["run_id"]].iloc[0]
        p = significance.paired(stats[stats.run_id == runs_a[bench]["run_id"]],
                                stats[stats.run_id == runs_b[bench]["run_id"]])
        rows.append({"benchmark": bench, "pass@1 % A": ra["pass@1 %"], "pass@1 % B": rb["pass@1 %"],
                     "Δ pass@1 (A−B)": ra["pass@1 %"] - rb["pass@1 %"], "paired Δ low": 100 * p.low,
                     "paired Δ high": 100 * p.high, "McNemar p": p.p_value, "shared problems": p.problems,
                     "truncated % A / B": _pair(ra, rb, "truncated %", 1),
                     "tokens A / B": _pair(ra, rb, "mean tokens", 0)})
    return pd.DataFrame(rows)


def pick_configs(ctx: ui.Ctx) -> tuple[tuple, tuple] | None:
    options = configs(ctx)
    if len(options) < 2:
        model, revision, sampling = options[0]
        st.info(f"This store holds one model configuration ({model} @ {revision}, sampling {sampling[:8]}): there "
                "is nothing to compare it with. Runs of another model, revision or sampling setting on the same "
                "benchmark appear here.")
        return None
    label = lambda i: f"{options[i][0]} @ {options[i][1]} · sampling {options[i][2][:8]}"
    c = st.columns(2)
    a = options[c[0].selectbox("Run A", range(len(options)), format_func=label, key="cmp_a") or 0]
    b = options[c[1].selectbox("Run B", range(len(options)), index=1, format_func=label, key="cmp_b") or 0]
    if a == b:
        st.warning("A and B are the same run: pick two different ones.")
        return None
    return a, b


def significance_block(p: significance.Paired, k: int) -> None:
    cols = st.columns(3)
    cols[0].metric("Δ pass@1 (A−B), paired", f"{100 * p.delta:+.1f}", help="mean over shared problems of "
                   "A's pass rate minus B's")
    cols[1].metric("paired bootstrap 95% interval", f"[{100 * p.low:+.1f}, {100 * p.high:+.1f}]")
    cols[2].metric("McNemar exact p (first samples)", f"{p.p_value:.3g}",
                   help=f"discordant problems: A right & B wrong {p.only_a}, the reverse {p.only_b}")
    verdict = ("A and B differ (p < 0.05 or the interval excludes 0)" if p.significant
               else "no significant difference at this sample size")
    st.caption(f"{p.problems} shared problems · {verdict}. McNemar uses sample 0 of each run"
               + (f" (k={k}: the bootstrap uses all samples)" if k > 1 else "") + ".")


def by_field(run_a: dict, run_b: dict, stats: pd.DataFrame) -> None:
    meta = ui.problems(run_a["benchmark"], tuple(sorted(run_a["data"].items())))
    fields = ui.breakdown_fields(meta)
    if not fields:
        return
    field = st.radio("Deltas by", fields, horizontal=True, key="cmp_field")
    table = significance.paired_by(stats[stats.run_id == run_a["run_id"]], stats[stats.run_id == run_b["run_id"]],
                                   meta, field)
    st.altair_chart(charts.intervals(table, field, "Δ pass@1 (A−B)", domain=(-100, 100), zero_rule=True),
                    width="stretch")
    with st.expander(f"Deltas by {field}: table"):
        st.dataframe(ui.shown(table, {c: ("{:.3g}" if c == "McNemar p" else "{:.1f}") for c in table.columns
                                      if c in ("Δ pass@1 (A−B)", "low", "high", "McNemar p")}), hide_index=True,
                     width="stretch")


def traces(ctx: ui.Ctx, runs: tuple[dict, dict], both: pd.DataFrame, view: pd.DataFrame) -> None:
    st.subheader("Side by side: the two runs' traces of one problem")
    ids = list(view.problem_id) or list(both.problem_id)
    outcome = dict(zip(both.problem_id, both.outcome))
    problem_id = st.selectbox("Problem", ids, key="cmp_problem", format_func=lambda p: f"{p} · {outcome.get(p, '')}")
    problem = ui.problems(runs[0]["benchmark"], tuple(sorted(runs[0]["data"].items()))).get(problem_id, {})
    cols = st.columns(2)
    for col, run, side in zip(cols, runs, "AB"):
        with col:
            rows = ctx.q("sample_page", queries.SampleFilter(runs=(ui.run_key(run),), problem_id=problem_id), 0, 1024)
            if rows.empty:
                st.info(f"Run {side} has no sample of {problem_id}.")
                continue
            st.markdown(f"**Run {side}: {run['model']}**")
            labels = [f"#{i} · {reason}" for i, reason in zip(rows.sample_index, rows.reason)]
            i = st.selectbox(f"Sample of run {side}", range(len(rows)), key=f"cmp_sample_{side}",
                             format_func=labels.__getitem__)
            key = rows.iloc[i][list(KEY)].to_dict()
            key["sample_index"] = int(key["sample_index"])
            detail = ctx.q("sample_detail", key)
            if detail is not None:
                sample_view.show(detail, problem, key=f"cmp{side}", compact=True)


def render() -> None:
    st.title("Compare runs")
    ctx = ui.context()
    picked = pick_configs(ctx)
    if picked is None:
        return
    a, b = picked
    table = deltas(ctx, a, b)
    if table.empty:
        st.info("These two have no benchmark in common.")
        return
    st.subheader("Per-benchmark deltas")
    st.dataframe(ui.shown(table, {c: ("{:.3g}" if c == "McNemar p" else "{:,.1f}") for c in table.columns
                                  if "%" in c or "Δ" in c or c == "McNemar p"} | {c: "{}" for c in table.columns
                                                                                  if " / " in c}),
                 hide_index=True, width="stretch")
    st.caption("pass@1 and Δ over each run's own problems; the paired interval and McNemar's p over the problems "
               "both runs have.")
    bench = st.selectbox("Benchmark for the per-problem comparison", list(table.benchmark), key="cmp_bench")
    run_a, run_b = _of(ctx, a)[bench], _of(ctx, b)[bench]
    stats = ctx.stats([run_a, run_b])
    sa, sb = stats[stats.run_id == run_a["run_id"]], stats[stats.run_id == run_b["run_id"]]
    significance_block(significance.paired(sa, sb), max(run_a["k"], run_b["k"]))
    by_field(run_a, run_b, stats)
    both = summaries.compare_problems(sa, sb)
    counts = both.outcome.value_counts()
    cols = st.columns(4)
    for col, outcome in zip(cols, ("only A solves", "only B solves", "both solve", "both fail")):
        col.metric(outcome, int(counts.get(outcome, 0)))
    show = st.radio("Show", ["only A solves", "only B solves", "all"], horizontal=True, key="cmp_show")
    view = both if show == "all" else both[both.outcome == show]
    st.caption("solves = at least one correct sample; rates are each run's pass@1 on the problem")
    st.dataframe(view, hide_index=True, width="stretch",
                 column_config={c: st.column_config.NumberColumn(format="%.2f") for c in ("rate_a", "rate_b", "delta")})
    traces(ctx, (run_a, run_b), both, view)


render()
