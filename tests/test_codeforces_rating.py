"""A handmade Codeforces contest rated end to end: `evals run --benchmark codeforces --standings`
(replayed C++ submissions, judged in the sandbox) -> results/<run>.json -> `evals show` -> the
leaderboard beside the paper's CodeForces column, equal to `evals rate` on the same verdicts."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.judge.sandbox import check_layers

from .test_runner import evals, results

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not check_layers().ok, reason="the code sandbox is unavailable")]

MODEL = "deepseek-r1-distill-qwen-7b"  # a paper model: its Table 5 CodeForces rating is printed beside ours
CPP_SUM = "#include <iostream>\nint main(){long long a,b;std::cin>>a>>b;std::cout<<a+b<<'\\n';}\n"
CPP_MAX = "#include <iostream>\nint main(){long long a,b;std::cin>>a>>b;std::cout<<(a>b?a:b)<<'\\n';}\n"
CPP_WRONG = "#include <iostream>\nint main(){std::cout<<0<<'\\n';}\n"
# problem index -> (tests, submissions per sample); verdicts: A [T, T], B [T, F], C [F, F]
PROBLEMS = {
    "A": ([("1 2\n", "3\n"), ("5 7\n", "12\n")], [CPP_SUM, CPP_SUM]),
    "B": ([("1 9\n", "9\n"), ("8 3\n", "8\n")], [CPP_MAX, CPP_SUM]),
    "C": ([("2 2\n", "4\n")], [CPP_WRONG, CPP_MAX]),
}
VERDICTS = {"9001": {"A": [True, True], "B": [True, False], "C": [False, False]}}


def _row(index: str, tests: list[tuple[str, str]]) -> dict:
    return {"id": f"9001{index}", "contest_id": "9001", "index": index, "title": f"Problem {index}",
            "description": "Read two integers.", "time_limit": 1.0, "memory_limit": 256.0, "rating": 800,
            "official_tests": [{"input": i, "output": o} for i, o in tests], "input_mode": "stdio"}


def _contest() -> dict:
    # 30 rated humans from 800 to 2250; scores so that the model's 500 + 1000 lands mid-table
    people = [{"handle": f"h{i}", "rating_before": 800 + 50 * i, "score": 100.0 * i} for i in range(30)]
    people.append({"handle": "unrated", "rating_before": None, "score": 5000.0})
    return {"contest_id": 9001, "name": "Handmade Round (Div. 2)", "scoring": "points",
            "problems": [{"index": "A", "points": 500}, {"index": "B", "points": 1000}, {"index": "C", "points": 1500}],
            "participants": people}


@pytest.fixture(scope="module")
def contest(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("cf")
    data = root / "codeforces.jsonl"
    data.write_text("".join(json.dumps(_row(i, t)) + "\n" for i, (t, _) in PROBLEMS.items()))
    replay = root / "submissions.jsonl"
    replay.write_text("".join(json.dumps({"problem_id": f"9001{i}", "sample_index": j,
                                          "completion": f"<think>ok</think>\n```cpp\n{code}```\n"}) + "\n"
                              for i, (_, codes) in PROBLEMS.items() for j, code in enumerate(codes)))
    standings = root / "standings"
    standings.mkdir()
    (standings / "9001.json").write_text(json.dumps(_contest()))
    (standings / "all_ratings.json").write_text(json.dumps([600 + 10 * i for i in range(200)]))
    (root / "verdicts.json").write_text(json.dumps(VERDICTS))
    return {"root": root, "data": data, "replay": replay, "standings": standings}


def _run(contest: dict[str, Path], db: Path, *extra: str):
    done = evals("run", "--model", MODEL, "--backend", "replay", "--replay", str(contest["replay"]),
                 "--benchmark", "codeforces", "--data", f"codeforces={contest['data']}", "--samples", "2",
                 "--db", str(db), *extra)
    assert done.returncode == 0, done.stderr[-3000:]
    return done, next(iter(results(db).values()))


@pytest.mark.parametrize("rule", ["per_sample", "first_pass"])
def test_rating_from_generation_to_leaderboard_equals_evals_rate(contest, tmp_path, rule):
    db = tmp_path / "store"
    done, result = _run(contest, db, "--standings", str(contest["standings"]), "--rating-rule", rule)
    assert result["reasons"] == {"correct": 3, "wrong_answer": 3}
    block = result["rating"]
    rate = evals("rate", str(contest["root"] / "verdicts.json"), str(contest["standings"] / "9001.json"),
                 "--rule", rule, "--all-ratings", str(contest["standings"] / "all_ratings.json"))
    assert rate.returncode == 0, rate.stderr
    expected = json.loads(rate.stdout)
    assert block["value"] == pytest.approx(expected["rating"], abs=1e-9)
    assert block["percentile"] == pytest.approx(expected["percentile"])
    assert block["interval"] == pytest.approx([expected["spread_min"], expected["spread_max"]])
    assert block["rule"] == rule and block["contests"] == 1 and 0 < block["percentile"] < 100
    manifest = json.loads(next((db / "runs").glob("*.json")).read_text())
    assert manifest["config"]["rating_rule"] == rule and manifest["config"]["standings"] == str(contest["standings"])
    assert f"rating ({rule}, 1 contests): {block['value']:.0f}" in done.stdout

    shown = evals("show", "--db", str(db))
    assert shown.returncode == 0 and f"{block['value']:.0f}" in shown.stdout, shown.stdout + shown.stderr

    from leaderboards.build import build

    files = {p.name: p.read_text() for p in build(db, output=tmp_path / "lb")}
    table = next(text for name, text in files.items() if name.endswith(".md"))
    line = next(row for row in table.splitlines() if "| rating |" in row)
    assert f"{block['value']:.1f}" in line and "1189" in line  # ours beside the paper's (Table 5, distill-7B)
    assert any("| percentile |" in row for row in table.splitlines())


def test_without_standings_the_run_says_what_it_needs(contest, tmp_path):
    done, result = _run(contest, tmp_path / "store")
    assert "value" not in result["rating"] and "--standings" in result["rating"]["needs"]
    assert "rating: no contest standings given" in done.stdout


def test_bad_standings_are_refused_before_generation(contest, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "1.json").write_text(json.dumps({**_contest(), "scoring": "golf"}))
    done = evals("run", "--model", MODEL, "--backend", "replay", "--replay", str(contest["replay"]),
                 "--benchmark", "codeforces", "--data", f"codeforces={contest['data']}", "--samples", "2",
                 "--db", str(tmp_path / "store"), "--standings", str(bad))
    assert done.returncode != 0 and "1.json" in done.stderr and "scoring" in done.stderr
    assert not (tmp_path / "store" / "results").exists() or not list((tmp_path / "store" / "results").iterdir())
