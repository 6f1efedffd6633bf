"""Curation: the filter funnel of a curation workspace, why samples were dropped, and kept and dropped
samples of one prompt side by side. The workspace database is opened read-only; while a running stage
holds it locked the page says so (and can read a snapshot copy)."""
from __future__ import annotations

import shutil

import altair as alt
import pandas as pd
import streamlit as st

from app import curation_queries, sources, ui
from curation.card import funnel
from curation.db import table_exists


def _open(workdir: str) -> sources.Curation | None:
    snapshot = st.session_state.get("cur_snapshot", False)
    try:
        return sources.open_curation(workdir, snapshot_if_locked=snapshot)
    except sources.CurationLocked as exc:
        st.warning(f"The curation workspace is in use: {exc}\n\nIts stages write it in one transaction each; "
                   "this page can read it when the stage is done, or read a copy of the file as of its last "
                   "checkpoint now.")
        st.button("Read a snapshot copy", key="cur_snapshot_btn", on_click=lambda: st.session_state.update(
            cur_snapshot=True))
    except FileNotFoundError as exc:
        st.info(str(exc))
    return None


def _dash(value) -> str:
    """A missing value (None, NaN) as `—`, never "nan"."""
    return "—" if value is None or pd.isna(value) else str(value)


def side_by_side(con, reasons: list[str]) -> None:
    reason = st.selectbox("Dropped for", ["any reason"] + reasons, key="cur_reason")
    pairs = curation_queries.side_by_side(con, None if reason == "any reason" else reason)
    if pairs.empty:
        st.caption("No prompt has both a kept sample and a sample dropped for this reason.")
        return
    for prompt_id, group in pairs.groupby("prompt_id", sort=True):
        first = group.iloc[0]
        st.markdown(f"**{prompt_id}** ({first.domain}) · reference: `{_dash(first.reference)}`")
        st.caption(str(first.problem)[:500])
        cols = st.columns(2)
        for col, (_, row) in zip(cols, group.sort_values("kept", ascending=False).iterrows()):
            title = ":green[**kept**]" if row.kept else f":red[**dropped: {row.reason}**]"
            col.markdown(f"{title} · verdict `{_dash(row.verdict_reason)}` · extracted `{_dash(row.extracted)}` · "
                         f"{_dash(row.completion_tokens)} tokens")
            with col.expander("reasoning and answer"):
                st.text(f"{row.reasoning or ''}\n----\n{row.completion or ''}")


def render() -> None:
    st.title("Curation")
    _, workdir = ui.settings()
    if not workdir:
        st.info("No curation workspace given: `python -m app --curation <workdir>` (the directory holding "
                "curation.duckdb).")
        return
    st.sidebar.caption(f"curation: `{workdir}` (read-only)")
    cur = _open(workdir)
    if cur is None:
        return
    con = cur.con
    if cur.snapshot:
        st.info("Showing a snapshot copy: a stage was running when the page loaded.")
    steps = pd.DataFrame(funnel(con), columns=["step", "samples"])
    st.subheader("Filter funnel")
    st.dataframe(steps, hide_index=True, width="stretch")
    if not table_exists(con, "filtered"):
        st.info("The filter stage has not run yet.")
        return
    dropped = curation_queries.drop_reasons(con)
    st.subheader("Why samples were dropped")
    st.altair_chart(alt.Chart(dropped).mark_bar().encode(
        x="sum(samples):Q", y=alt.Y("outcome:N", sort="-x"), color="domain:N"), width="stretch")
    st.subheader("Kept and dropped, side by side")
    side_by_side(con, sorted(set(dropped.outcome) - {"kept"}))
    con.close()
    for tmp in cur.cleanup:  # a snapshot copy is read once per page load
        shutil.rmtree(tmp, ignore_errors=True)


render()
