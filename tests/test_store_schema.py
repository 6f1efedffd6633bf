"""The store owns its schema: no SQL against `samples`/`verdicts`, no path into the segment directories and
no spelled-out sample key outside evals/store.py; and the relations it offers instead behave as the
queries they replaced (the newest verdict wins, a later segment is seen, a missing verdict is NULL)."""
from __future__ import annotations

import re
import time
from pathlib import Path

import duckdb
import pytest

from evals.store import KEY, Store, sample_key
from evals.verifiers.answer_region import sample_for_verifier

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ("evals", "curation", "training", "app", "leaderboards")
OWNER = "evals/store.py"
# A curation workspace has a `samples` view of its own (curation/db.py, over its sample sources, one of
# which is `Store.samples_sql()`): SQL in these modules reads that view, never the store's.
CURATION_WORKSPACE = ("curation/", "app/curation_queries.py")

# Lines that name a samples/ directory that is not a store's, each with why.
NOT_THE_STORE = {
    ("curation/generate.py", "`store/samples/*.parquet`"): "prose: merging shards is copying segment files",
}

STORE_VIEW = re.compile(r"\b(?:FROM|JOIN)\s+(?:verdicts|samples)\b", re.I)
SEGMENT_PATH = re.compile(r"""/\s*["'](?:samples|verdicts)["']|["'](?:samples|verdicts)["']\s*/|"""
                          r"""(?:samples|verdicts)/\*\.parquet""")
SPELLED_KEY = re.compile(r"""\bmodel["']?\s*,\s*["']?revision["']?\s*,\s*["']?prompt_hash\b""")


def violations(relative: str, text: str) -> list[str]:
    """What in `text` (the source of library file `relative`) reads the store's schema behind its back."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if any(relative == where and snippet in line for where, snippet in NOT_THE_STORE):
            continue
        views = [m for m in STORE_VIEW.finditer(line)
                 if not (m.group(0).lower().endswith("samples") and relative.startswith(CURATION_WORKSPACE))]
        for what, hits in (("SQL on the store's views", views),
                           ("a path into the segments", SEGMENT_PATH.findall(line)),
                           ("the sample key spelled out", SPELLED_KEY.findall(line))):
            if hits:
                found.append(f"{relative}:{number}: {what}: {line.strip()}")
    return found


@pytest.mark.parametrize("relative, line, flagged", [
    # the spellings this rule replaced, each in the module it was in
    ("evals/rescore.py", 'con.execute("SELECT DISTINCT benchmark FROM samples ORDER BY 1")', True),
    ("evals/scoring.py", "LEFT JOIN (SELECT * FROM verdicts WHERE verifier = ? AND verifier_version = ?) v", True),
    ("evals/rescore.py", '"SELECT model, revision, prompt_hash, sampling_hash, sample_index FROM verdicts "', True),
    ("app/queries.py", 'f"SELECT DISTINCT problem_id FROM samples s WHERE {where} ORDER BY 1"', True),
    ("curation/samples.py", 'glob = _q(str(store_dir.resolve() / "samples" / "*.parquet"))', True),
    ("curation/samples.py", 'key = ", ".join(("model", "revision", "prompt_hash", "sampling_hash", "sample_index"))',
     True),
    ("app/views/samples.py", 'rows.iloc[picked][["model", "revision", "prompt_hash", "sampling_hash"]]', True),
    ("app/sources.py", 'return (root / "samples").is_dir()', True),
    ("curation/verify.py", "SELECT * FROM verdicts", True),  # curation has no verdicts view: that is the store's
    # near misses that must pass: the store's relations, curation's own view, prose
    ("app/queries.py", "FROM answers('0.2.0', ['language']) a JOIN _runs r ON a.model = r.model", False),
    ("app/queries.py", "JOIN verdicts_of('language', ?) g ON a.model = g.model", False),
    ("curation/verify.py", "FROM samples s JOIN prompts p USING (prompt_id)", False),
    ("app/curation_queries.py", "LEFT JOIN checks c USING (sample_id) LEFT JOIN samples s USING (sample_id)", False),
    ("evals/report.py", '"""Everything is recomputed from stored samples and verdicts."""', False),
    ("curation/generate.py", "merge by copying the other machines' `store/samples/*.parquet`", False),
    # the synthetic corpus (tests/fixtures/) writes its own samples/ directory; in the library, that is flagged
    ("curation/stages.py", 'add_samples(ws, sorted(str(p) for p in (corpus / "samples").glob("*.parquet")))', True),
    ("curation/stages.py", 'glob = str(ws.store_dir / "samples" / "*.parquet")', True),  # the allowance is one line
])
def test_the_detector_flags_the_old_spellings_and_passes_near_misses(relative, line, flagged):
    assert bool(violations(relative, line)) is flagged


def test_no_library_module_reads_the_stores_schema_behind_its_back():
    found = []
    for package in LIBRARY:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative != OWNER:
                found += violations(relative, path.read_text(encoding="utf-8"))
    assert not found, "read the store through evals.store.Store (methods or its relations):\n" + "\n".join(found)


def test_the_owner_itself_is_scanned_and_would_be_flagged():
    """Guards the scan: the owner spells the schema, so a scan that skipped everything would pass vacuously."""
    assert violations("evals/other.py", (ROOT / OWNER).read_text(encoding="utf-8"))


def _sample(index: int, **extra) -> dict:
    return {"model": "m", "revision": "r", "prompt_hash": "p", "sampling_hash": "h", "sample_index": index,
            "benchmark": "b", "problem_id": "x", "completion": f"c{index}", **extra}


def _verdict(index: int, verifier: str, version: str, reason: str, **extra) -> dict:
    return {**{c: _sample(index)[c] for c in (*KEY, "benchmark", "problem_id")}, "verifier": verifier,
            "verifier_version": version, "correct": reason == "correct", "score": float(reason == "correct"),
            "reason": reason, **extra}


def test_latest_verdicts_take_the_newest_of_any_version_and_verdict_keys_one_version(tmp_path):
    store = Store(tmp_path)
    store.write([_sample(0), _sample(1)], [_verdict(0, "math", "1", "wrong_answer", created_at=1.0),
                                           _verdict(0, "math", "2", "correct", created_at=2.0),
                                           _verdict(1, "math", "1", "no_answer", created_at=3.0),
                                           _verdict(1, "language", "1", "correct", created_at=4.0)])
    latest = store.latest_verdicts("math")
    assert {k[-1]: v["reason"] for k, v in latest.items()} == {0: "correct", 1: "no_answer"}
    assert store.verdict_keys("math", "2") == {sample_key(_sample(0))}
    assert store.verdict_keys("math", "3") == set()
    assert store.benchmarks() == ["b"]
    assert [s["sample_index"] for s in store.samples(["p"], model="m")] == [0, 1]
    assert store.samples(["p"], model="other") == []


def test_scored_and_unscored_leave_a_missing_verdict_null(tmp_path):
    store = Store(tmp_path)
    store.write([_sample(0), _sample(1)],
                [_verdict(0, "math", "1", "correct"), _verdict(0, "language", "s", "correct")])
    rows = store.scored("m", "r", "h", {"prompt_hash": ["p"], "pid": ["x"]}, 2, answer=("math", "1"),
                        signals=(("language", "format"), "s"))
    assert [(r["sample_index"], r["reason"], r["language_reason"], r["format_reason"]) for r in rows] == [
        (0, "correct", "correct", None), (1, None, None, None)]
    needs = store.unscored("m", "r", "h", ["p"], answer=("math", "1"), signal=("language", "s"))
    assert [(r["sample_index"], r["needs_verdict"], r["needs_signals"]) for r in needs] == [(1, True, True)]


def test_samples_sql_in_another_database_deduplicates_and_sees_later_segments(tmp_path):
    store = Store(tmp_path / "store")
    store.write([_sample(0, created_at=1.0)], [])
    con = duckdb.connect(str(tmp_path / "other.duckdb"))
    con.execute(f"CREATE VIEW mine AS SELECT sample_index, completion FROM {store.samples_sql(model='m')}")
    store.write([_sample(0, completion="a racing duplicate", created_at=2.0), _sample(1, created_at=time.time())], [])
    assert con.execute("SELECT * FROM mine ORDER BY 1").fetchall() == [(0, "c0"), (1, "c1")]
    con.execute(f"CREATE VIEW theirs AS SELECT * FROM {store.samples_sql(model='another')}")
    assert con.execute("SELECT count(*) FROM theirs").fetchall() == [(0,)]


@pytest.mark.parametrize("completion, reasoning, prefilled, expected", [
    ("The answer is \\boxed{2}.", "2 = 1 + 1", True, ("<think>2 = 1 + 1</think>The answer is \\boxed{2}.", False)),
    ("<think>1 + 1</think>\\boxed{2}", None, False, ("<think>1 + 1</think>\\boxed{2}", False)),
    ("1 + 1</think>\\boxed{2}", "", True, ("1 + 1</think>\\boxed{2}", True)),  # empty reasoning adds nothing
])
def test_sample_for_verifier_puts_separate_reasoning_back_inside_think(completion, reasoning, prefilled, expected):
    assert sample_for_verifier(completion, reasoning, prefilled) == expected
