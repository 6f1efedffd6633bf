"""Streamlit plumbing shared by the pages: settings, cached connections and queries, run pickers.

Caching: one store connection per (path, fingerprint) in `st.cache_resource` (the fingerprint changes
when a segment or run file appears, so a page shows what a running job has flushed so far); query
results in `st.cache_data` under the same fingerprint. DuckDB connections are not shared between
threads without care, so each query takes the connection's lock.
"""
from __future__ import annotations

import argparse
import math
import os
import sys
import threading
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from . import queries, sources, summaries

ENV_DB = "R1_EVALS_APP_DB"
ENV_CURATION = "R1_EVALS_APP_CURATION"


def settings() -> tuple[str, str | None]:
    """(store path, curation workdir): from `python -m app` (environment), or `streamlit run ... -- --db`."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--db", default=None)
    parser.add_argument("--curation", default=None)
    args, _ = parser.parse_known_args(sys.argv[1:] if ENV_DB not in os.environ else [])
    db = os.environ.get(ENV_DB) or args.db or "runs/store"
    return db, os.environ.get(ENV_CURATION) or args.curation


@st.cache_resource(max_entries=3, show_spinner=False)
def _store(root: str, fp: tuple) -> tuple[Any, Any, threading.Lock]:
    store, con = sources.open_store(root)
    return store, con, threading.Lock()


@st.cache_data(max_entries=512, show_spinner="Querying the store…")
def query(name: str, root: str, fp: tuple, *args: Any) -> Any:
    """`queries.<name>(con, *args)`, cached until the store changes."""
    _, con, lock = _store(root, fp)
    with lock:
        return getattr(queries, name)(con, *args)


@st.cache_data(max_entries=16, show_spinner=False)
def _runs(root: str, fp: tuple) -> list[dict[str, Any]]:
    return sources.list_runs(_store(root, fp)[0])


@st.cache_data(max_entries=32, show_spinner=False)
def problems(benchmark: str, data: tuple = ()) -> dict[str, dict[str, Any]]:
    return sources.benchmark_problems(benchmark, dict(data))


@dataclass(frozen=True)
class Ctx:
    root: str
    fp: tuple
    runs: tuple[dict[str, Any], ...]

    def q(self, name: str, *args: Any) -> Any:
        return query(name, self.root, self.fp, *args)

    def stats(self, runs: list[dict[str, Any]] | None = None) -> pd.DataFrame:
        return self.q("problem_stats", tuple(run_key(r) for r in (runs or self.runs)))


def context() -> Ctx:
    """The store of this session, or a message and a stop when there is none."""
    root, _ = settings()
    st.sidebar.caption(f"store: `{root}` (read-only)")
    fp = sources.fingerprint(root)
    try:
        runs = _runs(root, fp)
    except sources.StoreMissing as exc:
        st.error(str(exc))
        st.stop()
    if not runs:
        st.info(f"No runs in {root} yet: `python -m evals run --db {root} ...` writes them.")
        st.stop()
    return Ctx(root, fp, tuple(runs))


def run_key(run: dict[str, Any]) -> queries.RunKey:
    return queries.RunKey.of(run)


def run_label(run: dict[str, Any]) -> str:
    return f"{run['model']} · {run['benchmark']} · k={run['k']} · {run['sampling_hash'][:8]}"


def pick_run(ctx: Ctx, label: str, key: str, runs: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    options = list(runs if runs is not None else ctx.runs)
    index = st.selectbox(label, range(len(options)), format_func=lambda i: run_label(options[i]), key=key)
    return options[index or 0]


@st.cache_data(max_entries=64, show_spinner=False)
def summary(root: str, fp: tuple, runs: tuple) -> pd.DataFrame:
    stats = query("problem_stats", root, fp, tuple(run_key(r) for r in runs))
    return summaries.run_summary(list(runs), stats)


@st.cache_data(max_entries=64, show_spinner=False)
def pass_at_k_curve(root: str, fp: tuple, run: dict[str, Any]) -> pd.DataFrame:
    """The bootstrap behind each point costs seconds on thousands of problems: computed once per store state."""
    stats = query("problem_stats", root, fp, (run_key(run),))
    return summaries.pass_at_k_curve(stats, run["k"])


def paginate(total: int, key: str, per_page: int = 25) -> int:
    """A page picker under a list; returns the 0-based page."""
    pages = max(1, -(-total // per_page))
    cols = st.columns([1, 3])
    page = cols[0].number_input("page", min_value=1, max_value=pages, value=1, step=1, key=key)
    cols[1].caption(f"{total:,} samples · page {page} of {pages:,} · {per_page} per page")
    return int(page) - 1


def fmt(value: Any, ci: Any = None, digits: int = 1) -> str:
    """A number for a metric tile: `—` when there is none (never `None` or `nan`), `± ci` when given."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = f"{value:,.{digits}f}"
    if ci is not None and not (isinstance(ci, float) and math.isnan(ci)):
        text += f" ± {ci:.{digits}f}"
    return text


def breakdown_fields(meta: dict[str, dict[str, Any]]) -> list[str]:
    """The problem fields worth a breakdown (subject, level, difficulty ...): scalar, at most 50 values."""
    return sorted({f for m in meta.values() for f in m if f not in ("text", "gold")
                   and isinstance(m[f], (str, int, float)) and len({str(x.get(f)) for x in meta.values()}) <= 50})


def shown(frame: pd.DataFrame, formats: dict[str, str] | None = None) -> pd.DataFrame:
    """A frame as the tables show it: numbers formatted, a missing value as `—` (st.dataframe draws NaN
    and None as "None", whatever a Styler's na_rep says)."""
    formats = formats or {}
    out = pd.DataFrame(index=frame.index)
    for col in frame.columns:
        fmt_ = formats.get(col, "{}")
        out[col] = [("—" if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA else fmt_.format(v))
                    for v in frame[col].astype(object)]
    return out
