"""`python -m evals verify` end to end, as a user runs it."""
import json
import subprocess
import sys

from tests.conftest import ROOT


def run_cli(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "evals", *args], input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=300
    )


def test_help_is_instant_and_names_every_flag():
    out = run_cli("verify", "--help")
    assert out.returncode == 0
    for flag in ("--kind", "--output", "--completion-field", "--answer-field", "--timeout", "--think-prefilled"):
        assert flag in out.stdout


def test_bad_lines_are_named_and_the_rest_goes_on(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(
        '{"id": "a", "completion": "<think>x</think>\\\\boxed{2}", "answer": "2"}\n'
        "not json\n"
        '{"id": "c", "completion": "no answer field"}\n'
        '{"id": "d", "completion": "<think>cut off \\\\boxed{2}", "answer": "2"}\n'
        '{"id": "e", "completion": "</think>\\\\boxed{3}", "answer": "2", "finish_reason": "stop"}\n'
    )
    out = tmp_path / "out.jsonl"
    proc = run_cli("verify", "--kind", "math", str(src), "--output", str(out))
    assert proc.returncode == 1
    assert f"{src}:2: not valid JSON" in proc.stderr
    assert f"{src}:3: missing field(s) ['answer']" in proc.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["line"] for r in rows] == [1, 2, 3, 4, 5]
    assert [r.get("reason") for r in rows] == ["correct", None, None, "truncated", "wrong_answer"]
    assert rows[0]["extracted"] == "2" and rows[0]["id"] == "a"
    assert "error" in rows[1] and rows[4]["id"] == "e"


def test_quickstart_command_on_math500(tmp_path):
    out = tmp_path / "v.jsonl"
    proc = run_cli("verify", "--kind", "math", "evals/data/math500.jsonl", "--completion-field", "solution", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 500 and all(r["correct"] for r in rows)
    assert "500 lines: correct 500" in proc.stderr
