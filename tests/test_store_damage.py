"""Damaged segments and racing writers' verdicts: the store stays usable and nothing good is lost.

Each kind of damage is done to a store a real (fake-engine) run wrote; every reader then still works,
the damaged file is moved to <db>/quarantine/ and named, and the next run regenerates exactly the rows
that were in it, ending at the clean run's numbers. `evals fsck` reports, repairs and salvages."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from evals.store import KEY, SAMPLES, VERDICTS, Store, content_hash

from .test_runner import FAKE, METRIC_KEYS, evals, results

METRICS = tuple(k for k in METRIC_KEYS if k != "cons@4") + ("cons@2",)

ARGS = ["--model", "test/fake", "--backend", FAKE, "--benchmark", "math500", "--limit", "6", "--samples", "2"]


@pytest.fixture(scope="module")
def clean_store(tmp_path_factory):
    """A finished run of 12 samples in several segments per table (each invocation writes its own)."""
    db = tmp_path_factory.mktemp("clean") / "db"
    for limit in ("2", "4", "6"):  # three invocations: at least three sample segments
        done = evals("run", *ARGS[:-4], "--limit", limit, "--samples", "2", "--db", str(db))
        assert done.returncode == 0, done.stderr
    return db


def _copy(clean, tmp_path):
    db = tmp_path / "db"
    shutil.copytree(clean, db)
    return db


def _rows(path) -> int:
    return pq.ParquetFile(path).metadata.num_rows


def _truncate(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _zero(path):
    path.write_bytes(b"")


def _garbage(path):
    path.write_bytes(os.urandom(4096))


def _foreign(path):  # a valid Parquet file that is no segment (someone's export dropped in the folder)
    pq.write_table(pa.table({"question": ["1+1"], "answer": ["2"]}), path)


# (name, damage, in place: the segment's rows are lost and regenerated / a new stray file: nothing lost)
DAMAGE = [("truncated", _truncate, True), ("zero-byte", _zero, True), ("garbage", _garbage, False),
          ("foreign parquet", _foreign, False)]


@pytest.mark.slow
@pytest.mark.parametrize("name, damage, in_place", DAMAGE, ids=[d[0] for d in DAMAGE])
def test_a_damaged_segment_is_quarantined_and_the_next_run_regenerates_its_rows(clean_store, tmp_path, name,
                                                                                damage, in_place):
    db = _copy(clean_store, tmp_path)
    segments = sorted((db / "samples").glob("*.parquet"))
    if in_place:
        victim = segments[len(segments) // 2]
        lost = _rows(victim)
    else:
        victim, lost = db / "samples" / f"zz-stray-{time.time_ns()}.parquet", 0
    damage(victim)

    shown = evals("show", "--db", str(db), "--json")
    assert shown.returncode == 0, shown.stderr
    assert str(victim) in shown.stderr and "quarantine" in shown.stderr
    assert (db / "quarantine" / "samples" / victim.name).exists() and not victim.exists()
    assert "quarantined" in (db / "quarantine" / "samples" / f"{victim.name}.why.txt").read_text()
    (partial,) = json.loads(shown.stdout)
    assert partial["samples"] == 12 - lost

    again = evals("run", *ARGS, "--db", str(db))
    assert again.returncode == 0, again.stderr
    assert f"{12 - lost} samples already stored, {lost} to generate" in again.stderr
    (clean,), (healed,) = results(clean_store).values(), results(db).values()
    assert {k: healed[k] for k in METRICS} == {k: clean[k] for k in METRICS}


@pytest.mark.slow
def test_every_reader_works_with_a_damaged_segment_in_each_table(clean_store, tmp_path):
    """show, rescore, compact, fsck, the app's connection and the leaderboards' measured runs."""
    from app.sources import open_store
    from leaderboards.measured import load_runs

    db = _copy(clean_store, tmp_path)
    victim = sorted((db / "verdicts").glob("*.parquet"))[0]
    unjudged = len({tuple(r[c] for c in KEY) for r in pq.read_table(victim).to_pylist() if r["verifier"] == "math"})
    _truncate(victim)
    _zero(db / "samples" / "zz-empty.parquet")
    fsck = evals("fsck", str(db))
    assert fsck.returncode == 1 and fsck.stdout.count("damaged segment") == 2, fsck.stdout
    assert not (db / "quarantine").exists(), "fsck without --repair moves nothing"

    _, con = open_store(db)  # the app
    assert con.execute("SELECT count(*) FROM answers('x', [])").fetchone()[0] == 12
    assert (db / "quarantine" / "verdicts" / victim.name).exists()
    runs = load_runs(db, recompute=True)  # the leaderboards, from the samples: those left without a verdict wait
    assert 0 < unjudged < 12 and len(runs) == 1 and runs[0].result["samples"] == 12 - unjudged

    _truncate(sorted((db / "samples").glob("*.parquet"))[0])  # fresh damage, met by each command in turn
    rescore = evals("rescore", "--db", str(db))
    assert rescore.returncode == 0 and "quarantine" in rescore.stderr, rescore.stderr
    compact = evals("compact", "--db", str(db))
    assert compact.returncode == 0, compact.stderr
    assert Store(db).segment_count() == {"samples": 1, "verdicts": 1}
    assert evals("fsck", str(db)).returncode == 0
    healed = evals("run", *ARGS, "--db", str(db))
    assert healed.returncode == 0, healed.stderr
    (clean,), (after,) = results(clean_store).values(), results(db).values()
    assert {k: after[k] for k in METRICS} == {k: clean[k] for k in METRICS}


def _sample(index: int, text: str, **extra) -> dict:
    return {"model": "m", "revision": "r", "prompt_hash": "p", "sampling_hash": "h", "sample_index": index,
            "benchmark": "b", "problem_id": "x", "completion": text, **extra}


def _verdict(sample: dict, correct: bool, **extra) -> dict:
    return {**{c: sample[c] for c in (*KEY, "benchmark", "problem_id")}, "verifier": "math", "verifier_version": "1",
            "correct": correct, "score": float(correct), "reason": "correct" if correct else "wrong_answer",
            "sample_hash": content_hash(sample), **extra}


def test_fsck_repair_salvages_the_row_groups_that_decode_and_clears_stale_files(tmp_path):
    store = Store(tmp_path / "db")
    rows = [_sample(i, f"text {i}") | {"content_hash": None} for i in range(4)]
    for row in rows:
        row["content_hash"] = content_hash(row)
    path = store.root / "samples" / "run-1-two-groups.parquet"
    pq.write_table(pa.Table.from_pylist(rows, schema=SAMPLES), path, row_group_size=2, compression="none")
    # overwrite the second row group's first column chunk; the footer (and the first group) stay intact
    chunk = pq.ParquetFile(path).metadata.row_group(1).column(0)
    start = chunk.dictionary_page_offset or chunk.data_page_offset
    data = bytearray(path.read_bytes())
    data[start:start + chunk.total_compressed_size] = b"\xff" * chunk.total_compressed_size
    path.write_bytes(bytes(data))
    old_temp = store.root / "samples" / ".run-2.parquet.tmp"
    old_temp.write_bytes(b"half")
    os.utime(old_temp, (time.time() - 7200,) * 2)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    (store.root / "locks").mkdir()
    lock = store.root / "locks" / "run.0of1.lock"
    lock.write_text(json.dumps({"host": os.uname().nodename, "pid": gone.pid, "shard": [0, 1], "started": 0}))

    report = evals("fsck", str(store.root))
    assert report.returncode == 1 and "damaged segment" in report.stdout and "stale writer lock" in report.stdout
    assert "temporary file" in report.stdout and path.exists() and lock.exists()
    repaired = evals("fsck", str(store.root), "--repair")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert "2 readable rows kept" in repaired.stdout and not lock.exists() and not old_temp.exists()
    kept = Store(store.root).query("SELECT sample_index, completion FROM samples ORDER BY 1")
    assert kept == [{"sample_index": 0, "completion": "text 0"}, {"sample_index": 1, "completion": "text 1"}]
    assert evals("fsck", str(store.root)).returncode == 0
    assert evals("fsck", str(tmp_path / "no-store")).returncode == 2


def test_a_verdict_is_used_only_for_the_text_it_judged(tmp_path):
    """Two writers raced on 50 keys: the views keep writer A's texts, so they must keep A's verdicts although
    writer B's came later; a schema-1 verdict (no hash) still counts; compaction and another database agree."""
    store = Store(tmp_path / "db")
    a = [_sample(i, f"A{i}", created_at=1.0) for i in range(50)]
    b = [_sample(i, f"B{i}", created_at=2.0) for i in range(50)]
    store.write(a, [_verdict(s, correct=i % 3 == 0, created_at=1.5) for i, s in enumerate(a)])
    store.write(b, [_verdict(s, correct=i % 3 != 0, created_at=2.5) for i, s in enumerate(b)])
    legacy = _sample(50, "old")
    store.write([legacy | {"created_at": 1.0}], [_verdict(legacy, True, sample_hash=None)])

    def answer_by_index(rows):
        return {r["sample_index"]: (r["completion"], r["correct"]) for r in rows}

    def expected():
        return {i: (f"A{i}", i % 3 == 0) for i in range(50)} | {50: ("old", True)}

    query = "SELECT s.sample_index, s.completion, v.correct FROM samples s LEFT JOIN verdicts v USING ({})"
    assert answer_by_index(store.query(query.format(", ".join(KEY)))) == expected()
    assert store.race_counts() == (50, 50)
    con = duckdb.connect()
    other = con.execute(f"SELECT s.sample_index, s.completion, v.correct FROM {store.samples_sql()} s "
                        f"JOIN {store.verdicts_sql(model='m')} v USING ({', '.join(KEY)})")
    assert answer_by_index([dict(zip(("sample_index", "completion", "correct"), r)) for r in other.fetchall()]) \
        == expected()
    store.compact()
    assert answer_by_index(store.query(query.format(", ".join(KEY)))) == expected()
    assert store.race_counts() == (0, 0)
    # a sample that lost its verdict to the race is verified again: it has none by the kept text
    c = _sample(60, "C", created_at=1.0)
    store.write([c, _sample(60, "D", created_at=2.0)], [_verdict(_sample(60, "D"), True)])
    needs = store.unscored("m", "r", "h", ["p"], answer=("math", "1"), signal=("math", "1"))
    assert [(r["sample_index"], r["completion"]) for r in needs] == [(60, "C")]


def test_a_schema_1_store_stays_readable_and_its_verdicts_count(tmp_path):
    """Segments written before the hashes existed (no content_hash / sample_hash columns at all)."""
    store = Store(tmp_path / "db")
    old = {"samples": [_sample(i, f"t{i}", created_at=1.0, schema_version=1) for i in range(3)]}
    old["verdicts"] = [{k: v for k, v in _verdict(s, i != 1, created_at=1.5, schema_version=1).items()
                        if k != "sample_hash"} for i, s in enumerate(old["samples"])]
    for table, rows in old.items():
        schema = pa.schema([f for f in (SAMPLES if table == "samples" else VERDICTS)
                            if f.name not in ("content_hash", "sample_hash")])
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), store.root / table / "run-1-old.parquet")
    rows = store.scored("m", "r", "h", {"prompt_hash": ["p"], "pid": ["x"]}, 3, answer=("math", "1"),
                        signals=((), "s"))
    assert [(r["sample_index"], r["correct"]) for r in rows] == [(0, True), (1, False), (2, True)]
    new = _sample(3, "t3")
    store.write([new], [_verdict(new, True)])  # a schema-2 writer on top
    assert len(store.verdict_keys("math", "1")) == 4 and store.race_counts() == (0, 0)
    con = duckdb.connect()
    assert con.execute(f"SELECT count(*) FROM {store.verdicts_sql()}").fetchone()[0] == 4
    store.compact()
    assert len(store.verdict_keys("math", "1")) == 4
    assert pq.read_schema(next((store.root / "samples").glob("compact-*.parquet"))).names == SAMPLES.names
