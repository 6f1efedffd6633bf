"""Leaderboards: the paper's numbers (checked against the seed text), our numbers from a fixture store
(checked against evals' own results), delta and flag, manifest, and the three renderings."""
from __future__ import annotations

import csv
import io
import json
import math
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from evals.metrics import Estimate
from leaderboards.compare import delta_and_flag, registry_name
from leaderboards.reference import DATA_FILE, load_references, load_tables, lookup

from .conftest import ROOT, _evals_run, replay_file

SEEDS = [ROOT.parent / "shared" / "seeds", Path("/work/shared/seeds")]
PAPER = "002_e092d0405bf20f14.txt"
FAKE = ("--backend", "tests.fake_backends:Deterministic", "--verify-workers", "1")


def _seed_text() -> str:
    for d in SEEDS:
        if (d / PAPER).exists():
            return (d / PAPER).read_text(encoding="utf-8")
    pytest.skip(f"the paper's text ({PAPER}) is not under {SEEDS[0]}")


# ---- reference numbers ---------------------------------------------------------------------------------
def _seed_row(lines: list[str], caption_line: int, label: str) -> list[float | None]:
    """The numbers printed after `label` on its line, searching up from the table's caption."""
    for line in reversed(lines[max(0, caption_line - 40):caption_line]):
        fields = [f.strip() for f in line.split("\t") if f.strip()]
        if label in fields:
            return [None if v == "-" else float(v) for v in fields[fields.index(label) + 1:]]
    raise AssertionError(f"row {label!r} not found above line {caption_line} of the seed text")


def test_every_reference_number_matches_the_seed_text():
    lines = _seed_text().splitlines()
    data = load_tables()
    checked = 0
    for table in data["tables"]:
        caption = next(i for i, line in enumerate(lines) if line.startswith(f"{table['table']} |"))
        for row in table["rows"]:
            assert _seed_row(lines, caption, row["label"]) == row["values"], (table["table"], row["label"])
            checked += sum(v is not None for v in row["values"])
    assert checked == len(load_references()) > 150


@pytest.mark.parametrize("model, benchmark, metric, value, table", [
    ("deepseek-r1-distill-qwen-7b", "aime24", "pass@1", 55.5, "Table 5"),
    ("deepseek-r1-distill-qwen-7b", "aime24", "cons@64", 83.3, "Table 5"),
    ("deepseek-r1-distill-qwen-1.5b", "math500", "pass@1", 83.9, "Table 5"),
    ("deepseek-r1-distill-llama-70b", "codeforces", "rating", 1633, "Table 5"),
    ("deepseek-r1", "math500", "pass@1", 97.3, "Table 4"),
    ("deepseek-r1", "codeforces", "percentile", 96.3, "Table 4"),
    ("deepseek-r1", "gpqa_diamond", "pass@1", 71.5, "Table 4"),
    ("deepseek-r1-zero", "aime24", "cons@64", 86.7, "Table 2"),
    ("deepseek-r1-zero", "livecodebench", "pass@1", 50.0, "Table 2"),
])
def test_reference_lookup_by_our_names_with_source(model, benchmark, metric, value, table):
    found = lookup(load_references(), model, benchmark, metric)
    assert [(r.value, r.table) for r in found] == [(value, table)]
    ref = found[0]
    assert ref.column and ref.row and ref.source.startswith(f"{table}, {ref.row}, ")
    # the seed text prints this number on the row of that model (Tables 2, 5) or benchmark (Table 4)
    needle = ref.row if table != "Table 4" else ref.column
    line = next(line for line in _seed_text().splitlines() if line.strip().startswith(needle + "\t")
                or f"\t{needle}\t" in line)
    assert f"{value:.1f}" in line or str(int(value)) in line


def test_unmapped_models_stay_unmapped():
    refs = load_references()
    assert not lookup(refs, "qwq-32b", "aime24", "pass@1")  # QwQ-32B-Preview is a different model
    assert {r.row for r in refs if r.model is None} >= {"QwQ-32B-Preview", "OpenAI-o1-mini", "DeepSeek V3"}
    assert registry_name("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B") == "deepseek-r1-distill-qwen-7b"
    assert registry_name("test/fake") == "test/fake"


def test_data_file_is_package_data():
    assert DATA_FILE.exists() and DATA_FILE.parent.name == "data"
    package_data = (ROOT / "pyproject.toml").read_text().split("[tool.setuptools.package-data]")[1].split("\n[")[0]
    assert re.search(r'^leaderboards = \[.*"data/\*\.json"', package_data, flags=re.M)


# ---- delta and flag --------------------------------------------------------------------------------------
@pytest.mark.parametrize("ours, paper, delta, outside", [
    (Estimate(0.50, 0.40, 0.60, 30), 55.0, -5.0, False),  # inside
    (Estimate(0.50, 0.40, 0.60, 30), 70.0, -20.0, True),  # above the interval
    (Estimate(0.50, 0.40, 0.60, 30), 39.9, 10.1, True),  # below it
    (Estimate(0.30, 0.20, 0.40, 30), 40.0, -10.0, False),  # on the edge counts as inside
    (Estimate(0.50, math.nan, math.nan, 1), 55.0, -5.0, None),  # no interval: no flag
    (Estimate(0.50, 0.40, 0.60, 30), None, None, None),  # model not in the paper
])
def test_delta_and_flag(ours, paper, delta, outside):
    d, flag = delta_and_flag(ours, paper)
    assert (d is None and delta is None) or d == pytest.approx(delta)
    assert flag is outside


# ---- a fixture store -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def lb_store(tmp_path_factory) -> Path:
    """Fake-engine runs: a paper model (R1-Distill-Qwen-7B) on MATH-500 (k=4) and AIME 2024 (k=64, so cons@64
    meets the paper's), and a model the paper never saw."""
    db = tmp_path_factory.mktemp("leaderboards") / "store"
    distill = ("--model", "deepseek-r1-distill-qwen-7b", *FAKE)
    _evals_run(db, *distill, "--benchmark", "math500", "--limit", "12", "--samples", "4")
    _evals_run(db, *distill, "--benchmark", "aime24", "--limit", "2", "--samples", "64")
    _evals_run(db, "--model", "test/fake", *FAKE, "--benchmark", "math500", "--limit", "6", "--samples", "2")
    return db


@pytest.fixture(scope="module")
def built(lb_store, tmp_path_factory) -> dict[str, str]:
    from leaderboards.build import build

    out = tmp_path_factory.mktemp("lb_out")
    return {p.name: p.read_text(encoding="utf-8") for p in build(lb_store, output=out)}


def _results(db: Path) -> dict[tuple[str, str], dict]:
    return {(r["model"], r["benchmark"]): r for r in map(json.loads, map(Path.read_text, (db / "results").glob("*")))}


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.slow
def test_measured_rows_match_evals_results(lb_store, built):
    results = _results(lb_store)
    rows = _rows(built["leaderboard.csv"])
    assert {(r["model"], r["benchmark"]) for r in rows} == set(results)
    for row in rows:
        res = results[(row["model"], row["benchmark"])]
        metric = row["metric"]
        est = res["pass@k"][metric[5:]] if metric.startswith("pass@") and metric != "pass@1" else res[metric]
        assert float(row["ours"]) == pytest.approx(100 * est["value"], abs=1e-3)
        assert float(row["ci_low"]) == pytest.approx(100 * est["low"], abs=1e-3)
        assert float(row["ci_high"]) == pytest.approx(100 * est["high"], abs=1e-3)
        assert int(row["n"]) == est["n"] and int(row["k"]) == res["k"]


@pytest.mark.slow
def test_recompute_agrees_with_results(lb_store):
    from leaderboards.measured import estimates, load_runs

    stored = {r.run_id: estimates(r) for r in load_runs(lb_store)}
    recomputed = {r.run_id: estimates(r) for r in load_runs(lb_store, recompute=True)}
    assert stored == recomputed and len(stored) == 3


@pytest.mark.slow
def test_shard_results_are_marked(lb_store, tmp_path):
    import shutil

    from leaderboards.compare import compare
    from leaderboards.measured import load_runs

    db = tmp_path / "store"
    shutil.copytree(lb_store, db)
    [first] = list((db / "results").glob("test--fake*"))
    first.rename(db / "results" / (first.stem + "__shard0of2.json"))
    shutil.copy(db / "results" / (first.stem + "__shard0of2.json"), db / "results" / (first.stem + "__shard1of2.json"))
    notes = {c.protocol for c in compare(load_runs(db), load_references()) if c.run.model == "test/fake"}
    assert notes == {"T 0.6, top-p 0.95, 32,768 tokens; first 6 problems; k=2 (R1: 4); one of 2 shard results "
                     "(--recompute merges them)"}


@pytest.mark.slow
def test_real_shards_and_a_resumed_run_are_told_apart(tmp_path):
    from leaderboards.compare import compare
    from leaderboards.measured import load_runs, manifest_fields

    db = tmp_path / "store"
    args = ("--model", "test/fake", *FAKE, "--benchmark", "math500", "--limit", "6", "--samples", "2")
    _evals_run(db, *args, "--shard", "1/2")
    [result] = [json.loads(p.read_text()) for p in (db / "results").glob("*")]
    assert result["shard"] == [1, 2]
    [c, *_] = compare(load_runs(db), load_references())
    assert "shard 1 of 2 only (--recompute merges the shards in the store)" in c.protocol
    # the same run resumed with more problems: a second invocation, same setup, recorded beside the first
    _evals_run(db, *args[:-4], "--limit", "8", "--samples", "2")
    [manifest] = [json.loads(p.read_text()) for p in (db / "runs").glob("*")]
    assert len(manifest["invocations"]) == 2 and manifest["invocations"][0]["shard"] == [1, 2]
    assert manifest["invocations"][1]["samples_to_generate"] == 2 * 8 - 2 * 3  # shard 1/2 of 6 = 3 problems
    fields = {r.run_id: manifest_fields(r) for r in load_runs(db)}[manifest["run_id"]]
    assert fields["invocations"] == "2 (differing: data, shard)"  # all 8 problems now, 3 of 6 then
    assert fields["problems sha256"] == manifest["problems_sha256"] and len(manifest["problems_sha256"]) == 64


@pytest.mark.slow
def test_flagged_and_not_flagged_against_the_paper(lb_store, built, tmp_path):
    from leaderboards.compare import compare
    from leaderboards.measured import load_runs

    rows = {(r["model"], r["benchmark"], r["metric"]): r for r in _rows(built["leaderboard.csv"])}
    math = rows[("deepseek-r1-distill-qwen-7b", "math500", "pass@1")]  # the fake engine is right about half the time
    assert float(math["paper"]) == 92.8 and math["paper_outside_ci"] == "true"
    assert float(math["delta"]) == pytest.approx(float(math["ours"]) - 92.8, abs=1e-3)
    assert "Table 5, DeepSeek-R1-Distill-Qwen-7B, MATH-500 pass@1" in math["paper_source"]
    assert rows[("deepseek-r1-distill-qwen-7b", "aime24", "cons@64")]["paper"] == "83.3"
    assert rows[("deepseek-r1-distill-qwen-7b", "math500", "cons@4")]["paper"] == ""  # cons@4 is not cons@64
    fake = rows[("test/fake", "math500", "pass@1")]  # not in the paper: no reference, delta or flag
    assert (fake["paper"], fake["delta"], fake["paper_outside_ci"]) == ("", "", "")

    # a paper value inside our interval: not flagged, delta is ours - paper
    ours = float(math["ours"])
    data = load_tables()
    table5 = next(t for t in data["tables"] if t["table"] == "Table 5")
    row = next(r for r in table5["rows"] if r["label"] == "DeepSeek-R1-Distill-Qwen-7B")
    row["values"][2] = round(ours + 1.0, 1)
    custom = tmp_path / "tables.json"
    custom.write_text(json.dumps(data))
    [c] = [c for c in compare(load_runs(lb_store), load_references(custom))
           if c.run.benchmark == "math500" and c.metric == "pass@1" and c.run.model.startswith("deepseek")]
    assert c.outside is False and c.delta == pytest.approx(100 * c.ours.value - round(ours + 1.0, 1))


@pytest.mark.slow
def test_manifest_fields_shown(lb_store, built):
    run = next(json.loads(p.read_text()) for p in (lb_store / "runs").glob("deepseek*math500*"))
    md = built["leaderboard.md"]
    for header in ("model", "revision", "backend", "backend version", "dtype", "temperature", "top_p", "max_tokens",
                   "seed", "k", "data sha256", "verifier version"):
        assert f"| {header} |" in md
    assert run["data_sha256"] in md and run["sampling_hash"] in md and "| 0.6 | 0.95 | 32768 | 0 | 4 |" in md
    manifest = {r["run"]: r for r in _rows(built["manifest.csv"])}
    m = manifest[run["run_id"]]
    assert (m["backend"], m["verifier_version"], m["revision"]) == (run["backend"], run["verifier_version"], "main")
    assert m["dtype"] == "not recorded"  # the fake engine reports none, and the run asked for "auto"


@pytest.mark.slow
def test_markdown_tables_are_well_formed(built):
    md = built["leaderboard.md"]
    blocks = re.findall(r"((?:^\|.*\|\n)+)", md, flags=re.M)
    assert len(blocks) == 5  # comparison, manifest, paper Tables 2, 4, 5
    for block in blocks:
        lines = block.splitlines()
        widths = {len(re.findall(r"(?<!\\)\|", line)) for line in lines}
        assert len(widths) == 1, lines[0]
        assert re.fullmatch(r"\|(---\|)+", lines[1])
    assert "OUTSIDE" in md and "Table 5, DeepSeek-R1-Distill-Qwen-7B" in md


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in ("meta",):
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, (self.open[-3:], tag)
        self.open.pop()


@pytest.mark.slow
def test_html_is_self_contained_and_sortable(built):
    page = built["leaderboard.html"]
    assert "http://" not in page and "https://" not in page
    parser = _Collect()
    parser.feed(page)
    assert parser.open == []  # every tag closed, in order
    assert not [a for t, a in parser.tags if t in ("link", "img", "iframe") or (t == "script" and "src" in a)]
    tables = [a for t, a in parser.tags if t == "table"]
    assert len(tables) == 5 and all(a.get("class") == "sortable" for a in tables)
    assert "addEventListener('click'" in page and "function sortBy" in page
    assert '<td class="flag">OUTSIDE</td>' in page


@pytest.mark.slow
def test_csv_files_parse(built):
    assert len(_rows(built["leaderboard.csv"])) == 9  # 3 runs x (pass@1, cons@k, pass@k)
    assert len(_rows(built["manifest.csv"])) == 3
    refs = _rows(built["paper_reference.csv"])
    assert len(refs) == len(load_references())
    assert {"table", "column", "row", "model", "benchmark", "metric", "value"} == set(refs[0])


@pytest.mark.slow
def test_cli_build_writes_each_format(lb_store, tmp_path):
    out = tmp_path / "board"
    done = _cli("build", "--db", str(lb_store), "--format", "md", "--output", str(out))
    assert done.returncode == 0, done.stderr
    assert [p.name for p in out.iterdir()] == ["leaderboard.md"]


# ---- command line ---------------------------------------------------------------------------------------
def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "leaderboards", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("command", [[], ["build"], ["reference"]])
def test_help_of_every_command(command):
    done = _cli(*command, "--help")
    assert done.returncode == 0 and "usage: python -m leaderboards" in done.stdout


def test_help_imports_nothing_heavy():
    code = ("import sys, contextlib, io\nfrom leaderboards import cli\n"
            "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
            "    cli.main(['build', '--help'])\n"
            "print(sorted(m for m in ('duckdb', 'evals', 'pyarrow', 'torch') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "[]", done.stderr


def test_reference_command_prints_the_tables():
    done = _cli("reference")
    assert done.returncode == 0 and "Table 5" in done.stdout and "| DeepSeek-R1-Distill-Qwen-7B |" in done.stdout
    rows = _rows(_cli("reference", "--format", "csv").stdout)
    assert len(rows) == len(load_references())


@pytest.mark.parametrize("make", ["missing", "empty", "file"])
def test_not_a_store_is_a_clear_error_that_creates_nothing(tmp_path, make):
    db, out = tmp_path / "db", tmp_path / "out"
    if make == "empty":
        db.mkdir()
    elif make == "file":
        db.write_text("not a store")
    done = _cli("build", "--db", str(db), "--output", str(out))
    assert done.returncode == 2
    assert str(db) in done.stderr and "python -m evals run" in done.stderr and "--db" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()
    assert (not db.exists()) if make == "missing" else (db.is_file() or list(db.iterdir()) == [])


@pytest.mark.slow
def test_html_sorts_in_a_real_browser(built, tmp_path):
    """Click a header in headless Chromium: rows sort by that column as numbers, a second click reverses."""
    import shutil

    chromium, driver_path = shutil.which("chromium") or shutil.which("chromium-browser"), shutil.which("chromedriver")
    webdriver = pytest.importorskip("selenium.webdriver")
    if not (chromium and driver_path):
        pytest.skip("Chromium or chromedriver is not installed (scripts/install_sandbox_deps.sh installs both)")
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    page = tmp_path / "leaderboard.html"
    page.write_text(built["leaderboard.html"], encoding="utf-8")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        driver.get(page.as_uri())
        table = driver.find_element(By.ID, "comparison")
        header = table.find_elements(By.TAG_NAME, "th")[4]  # "ours"
        assert header.text.startswith("ours")

        def column() -> list[float]:
            return [float(r.find_elements(By.TAG_NAME, "td")[4].text.split()[0])
                    for r in table.find_elements(By.CSS_SELECTOR, "tbody tr")]

        header.click()
        assert column() == sorted(column()) and len(column()) == 9
        header.click()
        assert column() == sorted(column(), reverse=True)
    finally:
        driver.quit()


@pytest.mark.slow
def test_our_numbers_sit_in_the_papers_own_tables_and_the_paper_is_cited(lb_store, built):
    md, page = built["leaderboard.md"], built["leaderboard.html"]
    results = _results(lb_store)
    ours = results[("deepseek-r1-distill-qwen-7b", "math500")]["pass@1"]
    table5 = md[md.index("## Paper, Table 5"):md.index("## All our numbers")]
    header = next(line for line in table5.splitlines() if line.startswith("| model (paper)"))
    cells = header.split(" | ")
    assert cells[cells.index("MATH-500 pass@1 [math500]") + 1] == "ours: MATH-500 pass@1"  # cell beside cell
    assert "ours: GPQA Diamond pass@1" not in header  # a column we measured for nobody gets no "ours"
    row = next(line for line in table5.splitlines() if line.startswith("| DeepSeek-R1-Distill-Qwen-7B |")).split(" | ")
    cell = row[cells.index("ours: MATH-500 pass@1")]
    assert row[cells.index("MATH-500 pass@1 [math500]")] == "92.8"
    assert cell.startswith(f"{ours['value'] * 100:.1f} [{ours['low'] * 100:.1f}, {ours['high'] * 100:.1f}]")
    assert f"Δ {ours['value'] * 100 - 92.8:+.1f}" in cell and "OUTSIDE" in cell and "other protocol" not in cell
    other = next(line for line in table5.splitlines() if line.startswith("| DeepSeek-R1-Distill-Qwen-1.5B |"))
    assert other.split(" | ")[cells.index("ours: MATH-500 pass@1")] == "—"  # a model we did not run
    # the paper's tables first, the long table below; the paper cited, no internal path
    assert md.index("## Paper, Table 2") < md.index("## All our numbers") < md.index("## Manifest")
    for text in (md, page):
        assert "arXiv:2501.12948" in text and "DeepSeek-R1: Incentivizing Reasoning Capability in LLMs via" in text
        assert "seeds/" not in text and ".txt" not in text
    assert "T 0.6, top-p 0.95, 32,768 tokens" in md  # the protocol column states temperature and budget


@pytest.mark.slow
def test_a_replay_under_another_protocol_is_flagged_in_the_paper_table(tmp_path):
    from leaderboards.build import build

    db = tmp_path / "store"
    _evals_run(db, "--model", "deepseek-r1-distill-qwen-7b", "--replay", str(replay_file("tldr7b_math500_n1.json")),
               "--benchmark", "math500", "--limit", "30", "-k", "1", "--max-tokens", "8192")
    md = next(p for p in build(db, ("md",), tmp_path / "out")).read_text()
    row = next(line for line in md.splitlines() if line.startswith("| DeepSeek-R1-Distill-Qwen-7B |"))
    assert "other protocol: T 0.7, top-p ?, 8,192 tokens" in row
    assert "T 0.7, top-p ?, 8,192 tokens (not the paper's T 0.6, top-p 0.95, 32,768 tokens; top_p unknown)" in md
