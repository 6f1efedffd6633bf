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


# ---- every --help, the summary table, the end of a run, the progress bar -------------------------------------
def _subcommands(parser):
    import argparse

    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _subcommands(sub)


def _parsers():
    import argparse
    from unittest import mock

    from curation import cli as curation_cli
    from evals import cli as evals_cli
    from leaderboards import cli as leaderboards_cli
    from training import cli as training_cli

    class Built(Exception):
        pass

    def capture(self, *args, **kwargs):
        raise Built(self)

    with mock.patch.object(argparse.ArgumentParser, "parse_args", capture):  # the app builds and parses in one
        from app.__main__ import parse

        try:
            parse([])
        except Built as built:
            app_parser = built.args[0]
    return {"evals": evals_cli._build_parser(), "curation": curation_cli.parser(), "training": training_cli.parser(),
            "leaderboards": leaderboards_cli._parser(), "app": app_parser}


def test_no_help_text_anywhere_prints_a_doubled_percent():
    """argparse %-formats argument help but not descriptions: "95%%" in a description prints as typed."""
    checked = 0
    for name, parser in _parsers().items():
        for sub in _subcommands(parser):
            text = sub.format_help()
            assert "%%" not in text, (name, sub.prog)
            checked += 1
    assert checked > 20


SUMMARY = {"model": "m", "benchmark": "math500", "problems": 20, "problems_scored": 20,
           "pass@1": {"value": 0.25, "low": 0.1, "high": 0.45, "n": 20}, "no_answer_rate": 0.5, "truncation_rate": 0.1,
           "response_tokens": {"mean": 180.0}}


def _table(*results):
    from evals.report import summary_table

    return summary_table(list(results))


def test_summary_table_hides_what_says_nothing_and_shows_the_failure_modes():
    one = {**SUMMARY, "k": 1, "cons@1": SUMMARY["pass@1"], "pass@k": {"1": SUMMARY["pass@1"]},
           "signals": {"language_consistency": 1.0, "loop_rate": 0.0, "format_error_rate": None}}
    head = _table(one).splitlines()[0]
    assert "cons@k" not in head and "pass@k" not in head  # k = 1: both would repeat pass@1
    assert "no answer %" in head and "trunc %" in head and _table(one).splitlines()[2].split()[7:9] == ["50.0", "10.0"]
    assert "fmt err" not in head  # a model that never thinks: the <think> format does not apply
    four = {**one, "k": 4, "cons@4": {"value": 0.3, "low": 0.1, "high": 0.5, "n": 20},
            "pass@k": {"4": {"value": 0.5, "low": 0.3, "high": 0.7, "n": 20}},
            "signals": {**one["signals"], "format_error_rate": 0.02}}
    lines = _table(one, four).splitlines()
    assert "cons@k %" in lines[0] and "fmt err %" in lines[0]
    assert "—" in lines[2] and "30.0 [10.0, 50.0]" in lines[3] and "2.0" in lines[3]


def test_end_of_run_names_the_results_and_the_next_two_commands():
    from evals.cli import next_steps

    text = next_steps("runs/my store", ["m__math500__abc"])
    assert "runs/my store/results/m__math500__abc.json" in text
    assert "python -m app --db 'runs/my store'" in text
    assert "python -m leaderboards build --db 'runs/my store' --output runs/leaderboards" in text


def test_progress_eta_comes_from_tokens_and_waits_for_a_finished_sample(monkeypatch):
    from types import SimpleNamespace

    from evals import progress

    clock = [100.0]
    monkeypatch.setattr(progress.time, "monotonic", lambda: clock[0])
    bar = progress.Progress(10, "generate")
    clock[0] += 10
    bar.tokens(400)  # 40 tok/s, nothing finished yet
    assert bar.eta() is None
    bar.done(SimpleNamespace(completion_tokens=100))
    # 9 samples left x 100 tokens, less the 300 generated in flight, at 40 tok/s
    assert bar.eta() == (9 * 100 - 300) / 40
    bar.done(SimpleNamespace(completion_tokens=None))  # an engine without counts changes no length estimate
    assert bar.counted == 1 and bar.finished == 2
    # the sequences still running hold more tokens than the finished mean predicts for all that is left
    # (short answers finish first): the time left is unknown, never "00:00 left" with samples to go
    bar.tokens(1000)
    assert bar.eta() is None
    bar.close()
