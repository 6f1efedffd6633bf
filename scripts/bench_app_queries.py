"""Latency of the app's queries on a store of about a million samples.

    python scripts/bench_app_queries.py                      # builds /tmp/r1_app_bench/store once, then measures
    python scripts/bench_app_queries.py --db runs/store      # measures an existing store
    python scripts/bench_app_queries.py --models 4 --problems 3400 --samples 64   # the default size (~1M samples)

The synthetic store is written by DuckDB straight to Parquet in the store's schema (evals.store SAMPLES
and VERDICTS): per model, MATH-500 (its real problem ids, so breakdowns work) and a synthetic benchmark,
k samples each, an answer verdict and a language signal per sample, in several segments. Each page's
queries are timed cold (no Streamlit cache; the app caches them per store fingerprint after this).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing


def build(root: Path, models: int, problems: int, samples: int, segments: int) -> None:
    import duckdb

    from evals.benchmarks import BENCHMARKS
    from evals.store import SAMPLES, SCHEMA_VERSION, VERDICTS, Store
    from evals.verifiers.verdict import SIGNALS_VERSION, VERIFIER_VERSION

    Store(root)  # creates the directories
    con = duckdb.connect()
    con.execute("SET threads = 2")
    math_ids = [p.id for p in BENCHMARKS["math500"].load({})]
    con.execute("CREATE TABLE problems AS SELECT 'math500' AS benchmark, unnest(?::VARCHAR[]) AS problem_id "
                "UNION ALL SELECT 'synthetic', 'synth-' || range::VARCHAR FROM range(?)", [math_ids, problems])
    key_cols = ("model", "revision", "prompt_hash", "sampling_hash", "sample_index", "benchmark", "problem_id")
    for m in range(models):
        model, sampling = f"bench/model-{m}", f"{m:016x}"
        for bench in ("math500", "synthetic"):
            base = f"""
              SELECT '{model}' AS model, 'main' AS revision, md5(p.problem_id) AS prompt_hash,
                     '{sampling}' AS sampling_hash, i.range::INTEGER AS sample_index, p.benchmark, p.problem_id,
                     hash(p.problem_id, i.range, {m}) % 1000 AS roll, (hash(p.problem_id) % 700) AS hardness,
                     i.range % {segments} AS segment
              FROM problems p, range({samples}) i WHERE p.benchmark = '{bench}'"""
            con.execute(f"CREATE OR REPLACE TEMP TABLE x AS SELECT *, CASE WHEN roll < 40 THEN 'truncated' "
                        f"WHEN roll < 60 THEN 'no_answer' WHEN roll > hardness + {50 * m} THEN 'wrong_answer' "
                        f"ELSE 'correct' END AS reason FROM ({base})")
            run_id = f"bench--model-{m}__{bench}__{sampling}"
            for seg in range(segments):
                _copy(con, f"""SELECT {", ".join(key_cols)}, '{run_id}' AS run_id, 'bench' AS backend,
                    '[{{"role": "user", "content": "Problem ' || problem_id || '"}}]' AS messages,
                    NULL::VARCHAR AS prompt_text,
                    '<think>' || repeat('Let me check this step again. ', 1 + (roll % 12)::INT) || 'So it is '
                      || roll::VARCHAR || CASE WHEN reason = 'truncated' THEN '' ELSE '</think>The answer is $\\boxed{{'
                      || roll::VARCHAR || '}}$.' END AS completion,
                    NULL::VARCHAR AS reasoning, CASE WHEN reason = 'truncated' THEN 'length' ELSE 'stop' END AS finish_reason,
                    false AS think_prefilled, 80::INTEGER AS prompt_tokens,
                    (200 + roll * 8 + CASE WHEN reason = 'correct' THEN 0 ELSE 3000 END)::INTEGER AS completion_tokens,
                    0::BIGINT AS seed, epoch(now())::DOUBLE AS created_at, {SCHEMA_VERSION}::SMALLINT AS schema_version,
                    md5(prompt_hash || sample_index::VARCHAR || model) AS content_hash
                    FROM x WHERE segment = {seg}""", root / "samples" / f"{run_id}-{seg}.parquet", SAMPLES.names)
                _copy(con, f"""SELECT {", ".join(key_cols)}, 'math' AS verifier, '{VERIFIER_VERSION}' AS verifier_version,
                    reason = 'correct' AS correct, (reason = 'correct')::DOUBLE AS score, reason,
                    CASE WHEN reason IN ('truncated', 'no_answer') THEN NULL ELSE roll::VARCHAR END AS extracted,
                    CASE WHEN reason IN ('truncated', 'no_answer') THEN NULL ELSE roll::VARCHAR END AS normalized,
                    'exact_number' AS method, '{{"source": "boxed"}}' AS details,
                    epoch(now())::DOUBLE AS created_at, {SCHEMA_VERSION}::SMALLINT AS schema_version,
                    md5(prompt_hash || sample_index::VARCHAR || model) AS sample_hash FROM x WHERE segment = {seg}
                    UNION ALL
                    SELECT {", ".join(key_cols)}, 'language', '{SIGNALS_VERSION}', roll > 30, 1 - (roll % 50) / 1000,
                    CASE WHEN roll > 30 THEN 'correct' ELSE 'mixed_language' END, NULL, NULL, NULL, '{{}}',
                    epoch(now())::DOUBLE, {SCHEMA_VERSION}::SMALLINT, md5(prompt_hash || sample_index::VARCHAR || model) FROM x WHERE segment = {seg}""",
                      root / "verdicts" / f"{run_id}-{seg}.parquet", VERDICTS.names)
            _run_json(root, run_id, model, sampling, bench, samples)


def _copy(con, sql: str, path: Path, names: list[str]) -> None:
    con.execute(f"COPY (SELECT {', '.join(names)} FROM ({sql})) TO '{path}' (FORMAT parquet, COMPRESSION zstd)")


def _run_json(root: Path, run_id: str, model: str, sampling: str, bench: str, k: int) -> None:
    payload = {"run_id": run_id, "model": {"name": model, "revision": "main"}, "sampling_hash": sampling,
               "benchmark": bench, "k": k, "verifier": "math", "config": {"data": {}}}
    (root / "runs" / f"{run_id}.json").write_text(json.dumps(payload))


def timed(label: str, fn, *args):
    started = time.perf_counter()
    out = fn(*args)
    print(f"  {label:<46} {1000 * (time.perf_counter() - started):8.0f} ms")
    return out


def measure(root: Path) -> None:
    from app import queries, sources, summaries

    store, con = timed("open store (list segments, views)", sources.open_store, root)
    runs = timed("list runs (runs/*.json)", sources.list_runs, store)
    keys = [queries.RunKey(r["model"], r["revision"], r["sampling_hash"], r["benchmark"], r["k"], r["run_id"])
            for r in runs]
    n = con.execute("SELECT count(*) FROM samples").fetchall()[0][0]
    print(f"store {root}: {n:,} samples, {len(runs)} runs")
    print("Runs page")
    stats = timed("problem stats, all runs (SQL)", queries.problem_stats, con, keys)
    timed("pass@1 ± CI, pass@k per run (evals.metrics)", summaries.run_summary, runs, stats)
    run = next(k for k in keys if k.benchmark == "synthetic")
    print(f"Run detail page ({run.run_id})")
    one = timed("problem stats, one run", queries.problem_stats, con, [run])
    timed("pass@k curve", summaries.pass_at_k_curve, one, run.k)
    meta = sources.benchmark_problems("math500")
    math_run = next(k for k in keys if k.benchmark == "math500")
    math_stats = queries.problem_stats(con, [math_run])
    timed("breakdown by subject (math500)", summaries.breakdown_table, math_stats, meta, "subject")
    timed("accuracy against length", queries.length_accuracy, con, run)
    timed("failure reasons", queries.reason_counts, con, run)
    timed("language consistency histogram", queries.language_histogram, con, run)
    print("Samples page (all runs of the synthetic benchmark)")
    everything = queries.SampleFilter(runs=tuple(k for k in keys if k.benchmark == "synthetic"))
    timed("count, no filter", queries.sample_count, con, everything)
    timed("page 1", queries.sample_page, con, everything, 0)
    timed("page 20,000 (OFFSET 500,000)", queries.sample_page, con, everything, 20_000)
    wrong = queries.SampleFilter(runs=everything.runs, correct=False, reasons=("truncated",))
    timed("count, wrong + truncated", queries.sample_count, con, wrong)
    page = timed("page 1, wrong + truncated", queries.sample_page, con, wrong, 0)
    one_problem = queries.SampleFilter(runs=everything.runs, problem_id="synth-17")
    timed("page 1, one problem", queries.sample_page, con, one_problem, 0)
    search = queries.SampleFilter(runs=everything.runs, search="So it is 999")
    timed("count, full-text search", queries.sample_count, con, search)
    timed("page 1, full-text search", queries.sample_page, con, search, 0)
    timed("problem ids of a run", queries.problem_ids, con, run)
    row = page.iloc[0]
    key = {c: row[c] for c in ("model", "revision", "prompt_hash", "sampling_hash")} | {"sample_index": int(row.sample_index)}
    timed("one sample's detail", queries.sample_detail, con, key)
    print("Compare page")
    a, b = [k for k in keys if k.benchmark == "synthetic"][:2]
    pair = timed("problem stats, two runs", queries.problem_stats, con, [a, b])
    timed("per-problem comparison", summaries.compare_problems, pair[pair.run_id == a.run_id],
          pair[pair.run_id == b.run_id])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", type=Path, default=Path("/tmp/r1_app_bench/store"), help="store to measure (built if absent)")
    p.add_argument("--models", type=int, default=4)
    p.add_argument("--problems", type=int, default=3400, help="problems of the synthetic benchmark (+ MATH-500's 500)")
    p.add_argument("--samples", type=int, default=64, help="k samples per problem")
    p.add_argument("--segments", type=int, default=8, help="Parquet segments per run and table")
    args = p.parse_args()
    if not (args.db / "samples").is_dir() or not any((args.db / "samples").glob("*.parquet")):
        started = time.perf_counter()
        build(args.db, args.models, args.problems, args.samples, args.segments)
        print(f"built {args.db} in {time.perf_counter() - started:.0f} s")
    measure(args.db)


if __name__ == "__main__":
    main()
