"""Every SQL query of the app over the evals store: pure functions from a DuckDB connection
(`evals.store.Store.connect()`) and plain arguments to pandas DataFrames. They read the relations the
store defines (`answers`: each sample with its answer verdict; `verdicts_of`, `verdicts_of_any`), never
its `samples` and `verdicts` views, so the key, the join and the one-row-per-key rule stay in the store;
what is here is presentation (bins, pages, filters).

Nothing here imports Streamlit, so the queries are tested and benchmarked on their own
(`scripts/bench_app_queries.py`). Aggregates stay in SQL and sample lists come one page at a time
(LIMIT/OFFSET), so a store of a million samples is never loaded into pandas.

A "run" here is one row of `<db>/runs/*.json` reduced to what selects its samples:
(model, revision, sampling_hash, benchmark, k); the answer verdict of a sample is the one by the
current verifier version (as `python -m evals show` scores it), signals by the current signals version.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa

from evals.store import KEY
from evals.verifiers.signals import SIGNALS
from evals.verifiers.verdict import SIGNALS_VERSION, VERIFIER_VERSION

__all__ = ["RunKey", "SampleFilter", "problem_stats", "length_accuracy", "length_histogram", "reason_counts",
           "language_histogram", "sample_page", "sample_count", "sample_detail", "problem_ids", "run_samples"]

# Each sample with one answer verdict: the answer verifiers' (not the text signals') at the current version.
ANSWERS = f"answers('{VERIFIER_VERSION}', {list(SIGNALS)!r})"
UNVERIFIED = "unverified"  # shown for a sample whose verdict is not stored yet (a run still verifying)


@dataclass(frozen=True)
class RunKey:
    """What selects one run's samples in the store."""
    model: str
    revision: str
    sampling_hash: str
    benchmark: str
    k: int
    run_id: str = ""

    @classmethod
    def of(cls, run: dict[str, Any]) -> RunKey:
        """The key of one entry of `sources.list_runs`."""
        return cls(run["model"], run["revision"], run["sampling_hash"], run["benchmark"], run["k"], run["run_id"])

    def where(self, alias: str = "a") -> tuple[str, list[Any]]:
        sql = (f"{alias}.model = ? AND {alias}.revision = ? AND {alias}.sampling_hash = ? "
               f"AND {alias}.benchmark = ? AND {alias}.sample_index < ?")
        return sql, [self.model, self.revision, self.sampling_hash, self.benchmark, self.k]


@dataclass(frozen=True)
class SampleFilter:
    """The sample browser's filters; None means "any"."""
    runs: tuple[RunKey, ...]
    problem_id: str | None = None
    correct: bool | None = None
    reasons: tuple[str, ...] = ()
    search: str | None = None  # case-insensitive substring of completion, reasoning or extracted answer


def _df(con: Any, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    return con.execute(sql, list(params)).df()


def _register_runs(con: Any, runs: Sequence[RunKey]) -> None:
    cols = {f: [getattr(r, f) for r in runs] for f in ("run_id", "model", "revision", "sampling_hash", "benchmark")}
    cols["k"] = [int(r.k) for r in runs]
    con.register("_runs", pa.table(cols, schema=pa.schema([(f, pa.string()) for f in list(cols)[:-1]]
                                                          + [("k", pa.int32())])))


def _answers(runs_table: bool = True) -> str:
    """Samples with their answer verdict, as `a`; with `runs_table`, only samples of the runs in `_runs`."""
    runs = ("JOIN _runs r ON a.model = r.model AND a.revision = r.revision AND a.sampling_hash = r.sampling_hash "
            "AND a.benchmark = r.benchmark AND a.sample_index < r.k") if runs_table else ""
    return f"{ANSWERS} a {runs}"


def problem_stats(con: Any, runs: Sequence[RunKey]) -> pd.DataFrame:
    """One row per (run, problem): samples n, verified, correct c, score sum, truncated, tokens."""
    _register_runs(con, runs)
    return _df(con, f"""
        SELECT r.run_id, a.problem_id, count(*) AS n, count(a.reason) AS verified,
               count(*) FILTER (WHERE a.correct) AS c, sum(coalesce(a.score, 0)) AS score_sum,
               count(*) FILTER (WHERE a.correct AND a.sample_index = 0) AS c0,
               count(*) FILTER (WHERE a.reason = 'truncated') AS truncated,
               count(*) FILTER (WHERE a.reason = 'no_answer') AS no_answer,
               sum(a.completion_tokens) AS tokens
        FROM {_answers()} GROUP BY ALL ORDER BY ALL""")


def reason_counts(con: Any, run: RunKey, failures_only: bool = False) -> pd.DataFrame:
    """Samples per verdict reason, and each reason's share of the run's samples (%)."""
    where, params = run.where()
    return _df(con, f"""
        SELECT * FROM (
            SELECT coalesce(a.reason, '{UNVERIFIED}') AS reason, count(*) AS samples,
                   100 * count(*) / sum(count(*)) OVER () AS "share %"
            FROM {_answers(False)} WHERE {where} GROUP BY 1)
        WHERE {"reason <> 'correct'" if failures_only else "true"} ORDER BY samples DESC, reason""", params)


def _lengths(where: str) -> str:
    """Each sample's response length, in tokens, or in characters for a run whose samples carry no token
    counts (a replayed file without them): one unit per run, named in `unit`."""
    return f"""
        SELECT a.*, CASE WHEN count(a.completion_tokens) OVER () > 0 THEN a.completion_tokens
                         ELSE length(coalesce(a.reasoning, '')) + length(coalesce(a.completion, '')) END AS length,
               CASE WHEN count(a.completion_tokens) OVER () > 0 THEN 'tokens' ELSE 'characters' END AS unit
        FROM {_answers(False)} WHERE {where}"""


def length_accuracy(con: Any, run: RunKey, bins: int = 10, min_samples: int = 30) -> pd.DataFrame:
    """Accuracy in equal-count (quantile) bins of response length: the "longer means wronger" plot. Fewer
    bins when the run is small, so that every bin holds at least `min_samples` samples."""
    where, params = run.where()
    return _df(con, f"""
        WITH s AS ({_lengths(where)}),
        x AS (SELECT length, unit, coalesce(correct, false)::INT AS ok,
                     row_number() OVER (ORDER BY length, problem_id, sample_index) - 1 AS i,
                     count(*) OVER () AS n
              FROM s WHERE length IS NOT NULL),
        b AS (SELECT *, floor(i * greatest(1, least({int(bins)}, n // {int(min_samples)})) / n)::INT AS bin FROM x)
        SELECT bin, any_value(unit) AS unit, min(length) AS min_length, max(length) AS max_length,
               round(median(length)) AS median_length, sum(ok)::INT AS correct, count(*) AS samples,
               avg(ok) AS accuracy
        FROM b GROUP BY bin ORDER BY bin""", params)


def length_histogram(con: Any, run: RunKey, bins: int = 30) -> pd.DataFrame:
    """Response lengths in `bins` equal-width bins from 0 to the longest, split into correct and wrong
    (unverified samples apart): the shape of a model's thinking budget and where the failures sit."""
    where, params = run.where()
    return _df(con, f"""
        WITH s AS ({_lengths(where)}),
        w AS (SELECT *, greatest(1, ceil(max(length) OVER () / {int(bins)})) AS width FROM s WHERE length IS NOT NULL)
        SELECT least(floor(length / width), {int(bins) - 1}) * width AS bin_start,
               least(floor(length / width), {int(bins) - 1}) * width + width AS bin_end,
               CASE WHEN reason IS NULL THEN '{UNVERIFIED}' WHEN correct THEN 'correct' ELSE 'wrong' END AS outcome,
               any_value(unit) AS unit, count(*) AS samples
        FROM w GROUP BY ALL ORDER BY ALL""", params)


def language_histogram(con: Any, run: RunKey, bins: int = 10) -> pd.DataFrame:
    """Language consistency of the chains of thought (share of words in the prompt's language), binned,
    split by whether the answer was correct."""
    where, params = run.where()
    return _df(con, f"""
        SELECT least(floor(g.score * {int(bins)}), {int(bins) - 1}) / {int(bins)} AS bin_start,
               least(floor(g.score * {int(bins)}), {int(bins) - 1}) / {int(bins)} + 1 / {int(bins)} AS bin_end,
               CASE WHEN a.correct THEN 'correct' ELSE 'wrong' END AS outcome, count(*) AS samples,
               avg(g.score) AS mean_consistency
        FROM {_answers(False)}
        JOIN verdicts_of('language', ?) g ON {" AND ".join(f"a.{c} = g.{c}" for c in KEY)}
        WHERE {where} GROUP BY ALL ORDER BY ALL""", [SIGNALS_VERSION, *params])


def run_samples(con: Any, run: RunKey) -> pd.DataFrame:
    """Every sample of one run with its text and verdict, for the static export (one run: thousands of
    rows at most, not the store's million)."""
    where, params = run.where()
    return _df(con, f"""
        SELECT a.problem_id, a.sample_index, coalesce(a.reason, '{UNVERIFIED}') AS reason, a.correct,
               a.extracted, a.normalized, a.completion_tokens, a.finish_reason, a.reasoning, a.completion,
               a.think_prefilled, a.details
        FROM {_answers(False)} WHERE {where} ORDER BY a.problem_id, a.sample_index""", params)


def _filter_sql(f: SampleFilter) -> tuple[str, list[Any]]:
    clauses, params = ["true"], []
    if f.problem_id:
        clauses.append("a.problem_id = ?")
        params.append(f.problem_id)
    if f.correct is not None:
        clauses.append("a.correct" if f.correct else "NOT coalesce(a.correct, false)")
    if f.reasons:
        clauses.append(f"coalesce(a.reason, '{UNVERIFIED}') IN ({', '.join('?' * len(f.reasons))})")
        params += list(f.reasons)
    if f.search:
        clauses.append("(a.completion ILIKE ? OR a.reasoning ILIKE ? OR a.extracted ILIKE ?)")
        params += [f"%{f.search}%"] * 3
    return " AND ".join(clauses), params


def sample_count(con: Any, f: SampleFilter) -> int:
    _register_runs(con, f.runs)
    where, params = _filter_sql(f)
    return int(con.execute(f"SELECT count(*) FROM {_answers()} WHERE {where}", params).fetchall()[0][0])


def sample_page(con: Any, f: SampleFilter, page: int, per_page: int = 25) -> pd.DataFrame:
    """One page of matching samples (no long text: its length in characters, for files whose token counts
    are unknown), in a stable order."""
    _register_runs(con, f.runs)
    where, params = _filter_sql(f)
    return _df(con, f"""
        SELECT r.run_id, a.model, a.revision, a.sampling_hash, a.benchmark, a.problem_id, a.sample_index,
               a.prompt_hash, coalesce(a.reason, '{UNVERIFIED}') AS reason, a.correct, a.extracted, a.normalized,
               a.completion_tokens, length(coalesce(a.reasoning, '')) + length(a.completion) AS characters,
               a.finish_reason
        FROM {_answers()} WHERE {where}
        ORDER BY a.benchmark, a.problem_id, a.model, a.sample_index, a.sampling_hash
        LIMIT ? OFFSET ?""", [*params, int(per_page), int(page) * int(per_page)])


def sample_detail(con: Any, key: dict[str, Any]) -> dict[str, Any] | None:
    """Everything about one sample: text, tokens, answer verdict and text signals."""
    where = " AND ".join(f"a.{c} = ?" for c in KEY)
    params = [key[c] for c in KEY]
    rows = _df(con, f"""
        SELECT * EXCLUDE (verifier_version, reason), coalesce(reason, '{UNVERIFIED}') AS reason
        FROM {_answers(False)} WHERE {where} LIMIT 1""", params)
    if rows.empty:
        return None
    out = rows.iloc[0].to_dict()
    signals = _df(con, f"""SELECT verifier, correct, score, reason, details FROM verdicts_of_any(?, ?) g
                          WHERE {where.replace("a.", "g.")} ORDER BY verifier""",
                  [list(SIGNALS), SIGNALS_VERSION, *params])
    out["signals"] = signals.to_dict("records")
    return out


def problem_ids(con: Any, run: RunKey) -> list[str]:
    where, params = run.where()
    return [r[0] for r in con.execute(f"SELECT DISTINCT problem_id FROM {_answers(False)} WHERE {where} ORDER BY 1",
                                      params).fetchall()]
