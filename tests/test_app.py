"""The Streamlit app over a fixture store (fake-engine runs and real replayed completions), driven by
streamlit.testing.v1.AppTest: every page renders, filters change what is shown, the sample view puts
gold beside extracted, the numbers are evals' own, nothing is written, and a locked curation
workspace gives a message instead of a crash."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

from app import queries, sources  # noqa: E402

from .conftest import ROOT  # noqa: E402

MAIN = str(ROOT / "app" / "main.py")
PAGES = ["views/runs.py", "views/run_detail.py", "views/samples.py", "views/compare.py", "views/curation.py"]


@pytest.fixture
def app(app_store, app_curation, monkeypatch):
    monkeypatch.setenv("R1_EVALS_APP_DB", str(app_store))
    monkeypatch.setenv("R1_EVALS_APP_CURATION", str(app_curation))

    def open_page(page: str = "views/runs.py") -> AppTest:
        at = AppTest.from_file(MAIN, default_timeout=120).run()
        if page != "views/runs.py":
            at.switch_page(page).run()
        assert not at.exception, at.exception
        return at
    return open_page


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(root.rglob("*"))}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_exception(app, page):
    at = app(page)
    assert at.title and not at.exception
    assert not at.error, [e.value for e in at.error]


def test_runs_table_is_filtered_by_model_and_benchmark(app, app_store):
    at = app()
    everything = at.dataframe[0].value
    assert {"pass@1 % ± 95% CI", "cons@k %", "pass@k %", "truncated %", "mean tokens"} <= set(everything.columns)
    assert len(everything.columns) <= 11, "the table fits the page: ids and sampling are in the expander below"
    assert set(everything.benchmark) == {"math500", "aime24"}
    at.multiselect(key="runs_benchmarks").set_value(["aime24"]).run()
    only_aime = at.dataframe[0].value
    assert set(only_aime.benchmark) == {"aime24"} and len(only_aime) < len(everything)
    at.multiselect(key="runs_models").set_value(["test/fake"]).run()
    assert list(at.dataframe[0].value.model) == ["test/fake"]


def test_tables_show_a_dash_never_none(app, app_store):
    """k=1 hides pass@k and cons@k (they equal pass@1); nothing reads "None" or "nan" in any table."""
    at = app()
    table = at.dataframe[0].value
    for frame in (table, at.dataframe[-1].value):
        cells = {str(v) for v in frame.to_numpy().ravel()}
        assert not cells & {"None", "nan", "NaN", "<NA>"}, cells
    if "test/tldr7b" in set(table.model):  # a k=1 run (replayed)
        row = table[table.model == "test/tldr7b"].iloc[0]
        assert row["pass@k %"] == "—" and row["cons@k %"] == "—"
        # the TLDR files' "completion_tokens" are word counts: dropped at replay, so no token figure is shown
        assert row["mean tokens"] == "—"
    at.switch_page("views/samples.py").run()
    cells = {str(v) for v in at.dataframe[0].value.to_numpy().ravel()}
    assert "None" not in cells and "nan" not in cells


def test_live_scores_equal_the_run_results_files(app, app_store):
    """The app recomputes pass@1 and pass@k from the store with evals' estimators: same numbers as the runs."""
    table = app().dataframe[0].value
    for path in (app_store / "results").glob("*.json"):
        result = json.loads(path.read_text())
        run = json.loads((app_store / "runs" / f"{result['run_id']}.json").read_text())
        row = table[(table.model == run["model"]["name"]) & (table.benchmark == run["benchmark"])].iloc[0]
        assert row["pass@1 % ± 95% CI"].startswith(f"{100 * result['pass@1']['value']:.1f} ± ")
        if result["k"] > 1:
            assert row["pass@k %"] == f"{100 * result['pass@k'][str(result['k'])]['value']:.1f}"
            cons = result[f"cons@{result['k']}"]["value"]
            assert row["cons@k %"] == f"{100 * cons:.1f}"
        assert row["truncated %"] == f"{100 * result['truncation_rate']:.1f}"


def test_run_detail_shows_breakdowns_and_plots(app):
    at = app("views/run_detail.py")
    labels = [m.label for m in at.metric]
    assert "pass@1 %" in labels and "truncated %" in labels
    at.selectbox(key="detail_run").select_index(
        next(i for i, o in enumerate(at.selectbox(key="detail_run").options) if "math500" in o and "fake" in o)).run()
    assert not at.exception
    markdown = " ".join(m.value for m in at.markdown)
    assert "pass@1 by subject" in markdown and "pass@1 by level" in markdown
    for plot in ("Response length, correct and wrong", "Accuracy against response length", "pass@k curve",
                 "Why samples failed", "Language consistency"):
        assert plot in markdown
    assert any(e.label == "pass@1 by level: table" for e in at.expander)


def _sample_rows(at: AppTest):
    return at.dataframe[0].value


def test_sample_filters_change_what_is_shown(app):
    at = app("views/samples.py")
    at.selectbox(key="s_benchmark").set_value("math500").run()
    total = _sample_rows(at)
    at.radio(key="s_outcome").set_value("correct").run()
    correct = _sample_rows(at)
    assert set(correct.reason) == {"correct"}
    at.radio(key="s_outcome").set_value("wrong").run()
    assert "correct" not in set(_sample_rows(at).reason)
    at.radio(key="s_outcome").set_value("all").run()
    at.multiselect(key="s_reasons").set_value(["truncated"]).run()
    truncated = _sample_rows(at)
    assert len(truncated) > 0 and set(truncated.reason) == {"truncated"}
    at.multiselect(key="s_reasons").set_value([]).run()
    problem = total.problem_id.iloc[0]
    at.selectbox(key="s_problem").set_value(problem).run()
    assert set(_sample_rows(at).problem_id) == {problem}
    at.selectbox(key="s_problem").set_value("").run()
    at.text_input(key="s_search").set_value("I keep thinking").run()  # the fake engine's truncated text
    assert set(_sample_rows(at).reason) == {"truncated"}
    at.text_input(key="s_search").set_value("no such text anywhere 1234").run()
    assert any("No sample matches" in i.value for i in at.info)


def test_sample_view_shows_gold_beside_extracted(app):
    at = app("views/samples.py")
    at.selectbox(key="s_benchmark").set_value("math500").run()
    at.radio(key="s_outcome").set_value("wrong").run()
    at.multiselect(key="s_reasons").set_value(["wrong_answer"]).run()
    rows = _sample_rows(at)
    markdown = [m.value for m in at.markdown]
    assert "**Gold answer**" in markdown and "**Extracted answer**" in markdown and "**Normalised (as compared)**" in markdown
    codes = [c.value for c in at.code]
    gold = sources.benchmark_problems("math500")[rows.problem_id.iloc[0]]["gold"]
    assert codes[0] == gold and codes[1] == rows.extracted.iloc[0] and codes[2] == rows.normalized.iloc[0]
    assert any(m.label == "reason" and m.value == "wrong_answer" for m in at.metric)
    assert any(h.value.startswith("Reasoning (") for h in at.subheader)
    assert any(h.value.startswith("Answer region (") for h in at.subheader)
    assert any("](#sv-answer-region)" in m.value and "](#sv-extracted-answer)" in m.value for m in at.markdown)
    assert any("<mark" in m.value for m in at.markdown), "the extracted answer is highlighted in context"


def test_compare_lists_problems_one_run_solves_and_the_other_not(app, app_store):
    if not list((app_store / "runs").glob("test--sft7b*")):
        pytest.skip("needs the replayed runs (shared data)")
    at = app("views/compare.py")
    options = at.selectbox(key="cmp_a").options
    at.selectbox(key="cmp_a").select_index(next(i for i, o in enumerate(options) if o.startswith("test/fake"))).run()
    at.selectbox(key="cmp_b").select_index(next(i for i, o in enumerate(options) if o.startswith("test/sft7b"))).run()
    deltas = at.dataframe[0].value
    assert list(deltas.benchmark) == ["aime24"]
    num = lambda col: float(deltas[col].iloc[0])
    assert num("Δ pass@1 (A−B)") == pytest.approx(num("pass@1 % A") - num("pass@1 % B"), abs=0.11)
    assert num("paired Δ low") <= num("Δ pass@1 (A−B)") <= num("paired Δ high")
    assert 0 < num("McNemar p") <= 1
    outcomes = ("only A solves", "only B solves", "both solve", "both fail")
    counts = {m.label: int(m.value) for m in at.metric if m.label in outcomes}
    assert sum(counts.values()) == 10
    at.radio(key="cmp_show").set_value("only A solves").run()
    problems = next(d.value for d in at.dataframe if "outcome" in d.value.columns)
    assert set(problems.outcome) <= {"only A solves"}


def test_curation_page_shows_funnel_reasons_and_side_by_side(app):
    at = app("views/curation.py")
    funnel = at.dataframe[0].value
    assert funnel.step.iloc[0] == "samples" and "kept by the filters" in set(funnel.step)
    assert any(s.value == "Kept and dropped, side by side" for s in at.subheader)
    assert any("[**kept**]" in m.value for m in at.markdown) and any("[**dropped: " in m.value for m in at.markdown)


def test_locked_curation_workspace_gives_a_message_then_a_snapshot(app, app_curation):
    holder = subprocess.Popen([sys.executable, "-c", (
        "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('locked', flush=True); time.sleep(120)"),
        str(app_curation / "curation.duckdb")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        at = app("views/curation.py")
        assert any("locked by another process" in w.value for w in at.warning)
        at.button(key="cur_snapshot_btn").click().run()
        assert not at.exception
        assert any("snapshot copy" in i.value for i in at.info)
        assert at.dataframe[0].value.step.iloc[0] == "samples"
    finally:
        holder.kill()
        holder.wait()


def test_the_app_never_writes(app, app_store, app_curation):
    before = snapshot(app_store), snapshot(app_curation)
    for page in PAGES:
        app(page)
    assert (snapshot(app_store), snapshot(app_curation)) == before


def test_a_missing_store_is_a_message_and_is_not_created(tmp_path, monkeypatch):
    missing = tmp_path / "nowhere"
    monkeypatch.setenv("R1_EVALS_APP_DB", str(missing))
    at = AppTest.from_file(MAIN, default_timeout=60).run()
    assert not at.exception and "is not an evals store" in at.error[0].value
    assert not missing.exists()


def test_queries_paginate_in_sql(app_store):
    store, con = sources.open_store(app_store)
    runs = tuple(queries.RunKey(r["model"], r["revision"], r["sampling_hash"], r["benchmark"], r["k"], r["run_id"])
                 for r in sources.list_runs(store) if r["benchmark"] == "math500")
    f = queries.SampleFilter(runs=runs)
    total = queries.sample_count(con, f)
    pages = [queries.sample_page(con, f, page, per_page=10) for page in range(-(-total // 10))]
    keys = [tuple(r) for p in pages for r in p[["model", "problem_id", "sample_index"]].itertuples(index=False)]
    assert all(len(p) <= 10 for p in pages) and len(keys) == total == len(set(keys))
    assert queries.sample_page(con, f, 10_000, per_page=10).empty


def test_module_help_is_instant_and_imports_no_streamlit():
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "app", "--help"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env={**os.environ})
    assert done.returncode == 0 and "--db" in done.stdout and "--curation" in done.stdout
    assert "streamlit" not in done.stderr and "duckdb" not in done.stderr
    assert time.monotonic() - started < 10


def test_pages_render_while_a_run_is_writing_the_store(tmp_path, monkeypatch):
    """A run appends segments while the app reads: every rerun sees a consistent, growing store."""
    db = tmp_path / "live"
    writer = subprocess.Popen([sys.executable, "-m", "evals", "run", "--db", str(db), "--model", "test/fake", "--backend",
                               "tests.fake_backends:Deterministic", "--benchmark", "math500", "--limit", "30",
                               "--samples", "4"], cwd=ROOT, env={**os.environ, "FAKE_DELAY": "0.05"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    monkeypatch.setenv("R1_EVALS_APP_DB", str(db))
    seen = []
    try:
        deadline = time.monotonic() + 120
        while writer.poll() is None and time.monotonic() < deadline:
            if (db / "runs").is_dir() and any((db / "samples").glob("*.parquet")):
                at = AppTest.from_file(MAIN, default_timeout=60).run()
                assert not at.exception, at.exception
                if at.dataframe:
                    seen.append(int(at.dataframe[0].value.samples.iloc[0]))
                at.switch_page("views/samples.py").run()
                assert not at.exception, at.exception
            time.sleep(0.3)
    finally:
        writer.kill()
        writer.wait()
    assert seen and seen == sorted(seen), seen
    assert len(set(seen)) > 1, f"the run finished before the app saw it grow: {seen}"


# ---- the new controls: trace reading, paired comparison, side-by-side traces ----------------------------------

def _long_trace(at: AppTest) -> None:
    """Pick the replayed SFT-7B run on AIME (traces of up to 20,000 characters) and its longest sample (by
    characters: the file's token counts are word counts, dropped at replay)."""
    at.selectbox(key="s_benchmark").set_value("aime24").run()
    runs = at.multiselect(key="s_runs")
    runs.set_value([o for o in runs.options if o.startswith("test/sft7b")]).run()
    rows = _sample_rows(at)
    longest = int(rows.characters.str.replace(",", "").astype(int).idxmax())
    at.selectbox(key=next(s.key for s in at.selectbox if s.key and s.key.startswith("s_pick_"))).set_value(longest).run()


def test_trace_folds_its_middle_and_renders_or_shows_plain_text(app, app_store):
    if not list((app_store / "runs").glob("test--sft7b*")):
        pytest.skip("needs the replayed runs (shared data)")
    at = app("views/samples.py")
    _long_trace(at)
    folds = [e for e in at.expander if e.label.startswith("… ") and "folded: show them" in e.label]
    assert folds, [e.label for e in at.expander]
    assert at.radio(key="sv_mode").value == "rendered (LaTeX)"
    codes_before = len(at.code)
    at.radio(key="sv_mode").set_value("plain text").run()
    assert not at.exception
    assert len(at.code) >= codes_before + 3, "head, folded middle and tail of the long text as plain text"
    at.radio(key="sv_mode").set_value("rendered (LaTeX)").run()
    assert len(at.code) == codes_before


def test_search_inside_a_trace_counts_and_marks_matches(app, app_store):
    if not list((app_store / "runs").glob("test--sft7b*")):
        pytest.skip("needs the replayed runs (shared data)")
    at = app("views/samples.py")
    _long_trace(at)
    at.text_input(key="sv_find").set_value("The").run()
    caption = next(c.value for c in at.caption if "of “The”" in c.value)
    assert int(caption.split()[0].replace(",", "")) >= 1
    assert any("<mark>the</mark>" in m.value.lower() for m in at.markdown)  # case-insensitive
    at.text_input(key="sv_find").set_value("zzq-not-in-any-trace").run()
    assert any(c.value.startswith("0 matches") for c in at.caption)


def test_compare_paired_test_deltas_by_level_and_side_by_side_traces(app):
    at = app("views/compare.py")
    options = at.selectbox(key="cmp_a").options
    at.selectbox(key="cmp_a").select_index(next(i for i, o in enumerate(options) if o.startswith("test/fake"))).run()
    b = next((i for i, o in enumerate(options) if o.startswith("test/tldr7b")), None)
    if b is None:
        pytest.skip("needs the replayed runs (shared data)")
    at.selectbox(key="cmp_b").select_index(b).run()
    at.selectbox(key="cmp_bench").set_value("math500").run()
    labels = {m.label: m.value for m in at.metric}
    p = float(labels["McNemar exact p (first samples)"])
    assert 0 < p <= 1 and labels["paired bootstrap 95% interval"].startswith("[")
    assert at.radio(key="cmp_field").options and "level" in at.radio(key="cmp_field").options
    at.radio(key="cmp_field").set_value("level").run()
    by_level = next(d.value for d in at.dataframe if "level" in d.value.columns)
    assert int(by_level.problems.astype(int).sum()) == 12  # the 12 MATH-500 problems both runs have
    problem = at.selectbox(key="cmp_problem").options[0].split(" · ")[0]
    heads = [h.value for h in at.subheader if " · sample " in h.value]
    assert len(heads) == 2 and all(h.startswith(problem) for h in heads), heads
    assert at.radio(key="cmpA_mode") and at.text_input(key="cmpB_find")
    other = at.selectbox(key="cmp_problem").options[1].split(" · ")[0]
    at.selectbox(key="cmp_problem").set_value(other).run()
    assert not at.exception and all(h.value.startswith(other) for h in at.subheader if " · sample " in h.value)


def test_compare_same_run_twice_and_a_one_run_store_say_so(app, tmp_path, monkeypatch):
    at = app("views/compare.py")
    at.selectbox(key="cmp_b").select_index(at.selectbox(key="cmp_a").index).run()
    assert any("the same run" in w.value for w in at.warning) and not at.dataframe
    from .conftest import _evals_run

    db = tmp_path / "one"
    _evals_run(db, "--model", "test/fake", "--backend", "tests.fake_backends:Deterministic", "--benchmark", "math500",
               "--limit", "3", "--samples", "2")
    monkeypatch.setenv("R1_EVALS_APP_DB", str(db))
    at = AppTest.from_file(MAIN, default_timeout=120).run()
    at.switch_page("views/compare.py").run()
    assert any("nothing to compare it with" in i.value for i in at.info)
    assert not at.dataframe and not at.metric
