"""Text signals in the evaluation store and summary: stored beside every answer verdict, summarised
per run, back-filled for samples stored before them, and the `signals` command."""
from __future__ import annotations

import json

import pyarrow.parquet as pq

from evals.store import Store
from evals.verifiers.signals import SIGNALS

from .conftest import replay_file
from .test_runner import FAKE, evals, results


def test_real_completions_get_signals_and_a_summary(tmp_path):
    db = tmp_path / "db"
    done = evals("run", "--model", "test/tldr7b", "--backend", "replay", "--replay",
                 str(replay_file("tldr7b_math500_n1.json")), "--benchmark", "math500", "--samples", "1", "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert "lang %" in done.stdout and "loop %" in done.stdout and "fmt err %" in done.stdout
    (result,) = results(db).values()
    signals = result["signals"]
    assert signals["samples"] == 500
    assert signals["language_consistency"] > 0.99  # English traces of English prompts
    assert 0 < signals["loop_rate"] < 0.02  # real traces that end looping ("Wait, another way: ...")
    # 139 of these texts close a <think> the template opened (the format applies, and holds almost always); the
    # others never think, so the <think> format says nothing about them (it was 100% "wrong" before)
    assert signals["format_samples"] == 139 and signals["format_error_rate"] < 0.05
    counts = Store(db).query("SELECT verifier, count(*) AS n FROM verdicts GROUP BY verifier")
    assert {r["verifier"]: r["n"] for r in counts} == {"math": 500, **dict.fromkeys(SIGNALS, 500)}
    loops = Store(db).query("SELECT details FROM verdicts WHERE verifier = 'repetition' AND NOT correct")
    assert all(json.loads(r["details"])["loop_repeats"] >= 4 for r in loops)


def test_samples_stored_before_the_signals_get_them_without_re_verifying(tmp_path):
    db = tmp_path / "db"
    args = ["run", "--model", "test/fake", "--backend", FAKE, "--benchmark", "math500", "--limit", "8",
            "--samples", "2", "--db", str(db)]
    assert evals(*args).returncode == 0
    (before,) = results(db).values()
    for segment in (db / "verdicts").glob("*.parquet"):  # the store as an older version left it
        table = pq.read_table(segment)
        keep = [v not in SIGNALS for v in table.column("verifier").to_pylist()]
        pq.write_table(table.filter(keep), segment)
    (bare,) = json.loads(evals("show", "--db", str(db), "--json").stdout)
    assert bare["signals"] == {"samples": 0}
    again = evals(*args)
    assert "scoring 16 stored samples" in again.stderr, again.stderr
    (after,) = results(db).values()
    assert after["signals"] == before["signals"] and after["pass@1"] == before["pass@1"]
    counts = Store(db).query("SELECT verifier, count(*) AS n FROM verdicts GROUP BY verifier")
    assert {r["verifier"]: r["n"] for r in counts} == {"math": 16, **dict.fromkeys(SIGNALS, 16)}
    assert before["signals"]["samples"] == 16 and before["signals"]["language_consistency"] == 1.0


def test_signals_command_on_a_file_with_a_bad_line(tmp_path):
    source = tmp_path / "completions.jsonl"
    source.write_text("\n".join([
        json.dumps({"id": "a", "completion": "<think>Two plus two is four.</think>\\boxed{4}", "prompt": "2+2?"}),
        "{not json",
        json.dumps({"id": "c", "completion": "<think>" + "Wait, again. Two plus two. " * 40,
                    "finish_reason": "length"}),
        json.dumps({"id": "d", "text": "no completion field"}),
    ]) + "\n")
    done = evals("signals", str(source), "--require-boxed")
    assert done.returncode == 0
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", 2, "c", 4]
    assert all(v["correct"] for k, v in rows[0].items() if k != "id")
    assert not rows[2]["repetition"]["correct"] and rows[2]["format"]["reason"] == "wrong_format"
    assert "error" in rows[1] and "error" in rows[3]
    assert f"{source}:2:" in done.stderr and f"{source}:4:" in done.stderr and "--completion-field" in done.stderr
    text = tmp_path / "trace.txt"
    text.write_text("<think>我们先算一下。So the answer is four.</think>4", encoding="utf-8")
    one = json.loads(evals("signals", str(text), "--text", "--target", "zh").stdout)
    assert one["language"]["reason"] == "mixed_language" and one["language"]["details"]["languages"]["en"] > 0.3
