"""Samples: filter by benchmark, model, problem, correct or wrong, failure reason and full text; each
sample shows the problem, gold beside extracted and normalised answer, the verdict's reason and
details, the reasoning (collapsed) and the final answer highlighted, and token counts."""
from __future__ import annotations

import streamlit as st

from app import queries, sample_view, ui
from evals.store import KEY
from evals.verifiers.verdict import REASONS


def filters(ctx: ui.Ctx) -> queries.SampleFilter:
    benchmarks = sorted({r["benchmark"] for r in ctx.runs})
    c = st.columns([1, 2, 2])
    benchmark = c[0].selectbox("Benchmark", benchmarks, key="s_benchmark")
    runs = [r for r in ctx.runs if r["benchmark"] == benchmark]
    labels = [ui.run_label(r) for r in runs]
    chosen = c[1].multiselect("Runs", labels, key="s_runs", placeholder="all runs of this benchmark")
    runs = [r for r, label in zip(runs, labels) if not chosen or label in chosen]
    keys = tuple(ui.run_key(r) for r in runs)
    ids = sorted({p for k in keys for p in ctx.q("problem_ids", k)})
    problem = c[2].selectbox("Problem", [""] + ids, key="s_problem", format_func=lambda p: p or "any problem")
    c = st.columns([1, 2, 2])
    outcome = c[0].radio("Outcome", ["all", "correct", "wrong"], horizontal=True, key="s_outcome")
    reasons = c[1].multiselect("Failure reason", [r for r in REASONS if r != "correct"] + [queries.UNVERIFIED],
                               key="s_reasons", placeholder="any reason")
    search = c[2].text_input("Full-text search (completion, reasoning, extracted answer)", key="s_search")
    return queries.SampleFilter(runs=keys, problem_id=problem or None,
                                correct={"all": None, "correct": True, "wrong": False}[outcome],
                                reasons=tuple(reasons), search=search.strip() or None)


def render() -> None:
    st.title("Samples")
    ctx = ui.context()
    f = filters(ctx)
    total = ctx.q("sample_count", f)
    if not total:
        st.info("No sample matches these filters.")
        return
    page = ui.paginate(total, key=f"s_page_{hash(f)}")
    rows = ctx.q("sample_page", f, page, 25)
    shown = rows[["model", "problem_id", "sample_index", "reason", "extracted", "normalized", "completion_tokens",
                  "characters", "finish_reason"]]
    event = st.dataframe(ui.shown(shown, {"completion_tokens": "{:,}", "characters": "{:,}"}), hide_index=True, width="stretch", on_select="rerun",
                         selection_mode="single-row", key="s_table")
    picked = event.selection.rows[0] if event and event.selection.rows else 0
    picked = st.selectbox("Sample", range(len(rows)), index=picked, key=f"s_pick_{hash(f)}_{page}",
                          format_func=lambda i: f"{rows.model[i]} · {rows.problem_id[i]} #{rows.sample_index[i]} · "
                                                f"{rows.reason[i]}")
    key = rows.iloc[picked][list(KEY)].to_dict()
    key["sample_index"] = int(key["sample_index"])
    detail = ctx.q("sample_detail", key)
    if detail is None:
        st.warning("This sample is no longer in the store (compacted meanwhile?); rerun.")
        return
    run = next(r for r in ctx.runs if r["run_id"] == rows.run_id[picked])
    problem = ui.problems(run["benchmark"], tuple(sorted(run["data"].items()))).get(detail["problem_id"], {})
    sample_view.show(detail, problem)


render()
