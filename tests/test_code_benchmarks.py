"""LiveCodeBench and Codeforces benchmarks: handmade rows in the Hub formats, loaded from local files."""
from __future__ import annotations

import base64
import json
import os
import pickle
import sys
import types
import zlib
from pathlib import Path
from typing import Any

import pytest

from evals.benchmarks import BENCHMARKS, hub
from evals.benchmarks import codeforces as cf
from evals.benchmarks import livecodebench as lcb
from evals.errors import DataError
from evals.judge.problems import ProblemError, from_codeforces, from_livecodebench, problem_from_dict
from evals.results import equivalence

STDIN = [{"input": "1 2\n", "output": "3\n", "testtype": "stdin"}, {"input": "5 5\n", "output": "10\n", "testtype": "stdin"}]
FUNCTIONAL = [{"input": "[2, 7, 11]\n9", "output": "[0, 1]", "testtype": "functional"},
              {"input": "[3, 3]\n6", "output": "[0, 1]", "testtype": "functional"}]
STARTER = "class Solution:\n    def twoSum(self, nums: List[int], target: int) -> List[int]:\n        "


def encode(tests: Any) -> str:
    """LiveCodeBench's private-test encoding: base64(zlib(pickle(json string)))."""
    return base64.b64encode(zlib.compress(pickle.dumps(json.dumps(tests)))).decode()


class _Evil:
    def __init__(self, command: str) -> None:
        self.command = command

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, (self.command,))


def lcb_row(qid: str, date: str, **overrides: Any) -> dict[str, Any]:
    row = {
        "question_title": f"Problem {qid}", "question_content": f"Print a + b ({qid}).", "platform": "atcoder",
        "question_id": qid, "contest_id": "abc370", "contest_date": date, "starter_code": "", "difficulty": "easy",
        "public_test_cases": json.dumps(STDIN[:1]), "private_test_cases": encode(STDIN[1:]), "metadata": "{}",
    }
    return row | overrides


def functional_row(qid: str, date: str) -> dict[str, Any]:
    return lcb_row(qid, date, platform="leetcode", difficulty="medium", starter_code=STARTER,
                   question_content="Given nums and target, return the indices of the two numbers adding to target.",
                   public_test_cases=json.dumps(FUNCTIONAL[:1]), private_test_cases=encode(FUNCTIONAL[1:]),
                   metadata=json.dumps({"func_name": "twoSum"}))


WINDOW_ROWS = [
    lcb_row("before", "2024-07-31T23:59:59"),
    lcb_row("first-day", "2024-08-01T00:00:00"),
    functional_row("lc-3000", "2024-10-12T00:00:00"),
    lcb_row("last-day", "2025-01-31T20:00:00", difficulty="hard"),
    lcb_row("after", "2025-02-01T00:00:00"),
]


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


@pytest.fixture
def lcb_file(tmp_path: Path) -> str:
    return write_jsonl(tmp_path / "test5.jsonl", WINDOW_ROWS)


# --- LiveCodeBench -------------------------------------------------------------------------------


def test_registered_benchmarks() -> None:
    for name in ("livecodebench", "codeforces"):
        bench = BENCHMARKS[name]
        assert (bench.name, bench.verifier, bench.default_samples, bench.answer_equivalence) == (name, "code", 16,
                                                                                                 "exact")
    assert BENCHMARKS["livecodebench"].breakdowns == ("difficulty",)
    same = equivalence("exact", None)
    assert same("print(1)", "print(1)") and not same("print(1)", "print(1) ")


def test_lcb_window_keeps_the_papers_dates(lcb_file: str, capsys) -> None:
    problems = BENCHMARKS["livecodebench"].load({"livecodebench": lcb_file})
    assert [p.id for p in problems] == ["first-day", "lc-3000", "last-day"]  # inclusive both ends, by date
    assert "3 of 5 problems dated 2024-08-01 to 2025-01-31" in capsys.readouterr().err
    assert problems[2].metadata == {"difficulty": "hard", "platform": "atcoder", "contest_date": "2025-01-31T20:00:00",
                                    "question_title": "Problem last-day"}
    everything = lcb.make_livecodebench(start=None, end=None).load({"livecodebench": lcb_file})
    assert [p.id for p in everything] == ["before", "first-day", "lc-3000", "last-day", "after"]
    october = lcb.make_livecodebench(start="2024-10-01", end="2024-10-31").load({"livecodebench": lcb_file})
    assert [p.id for p in october] == ["lc-3000"]


def test_lcb_stdin_prompt_is_lcbs_wording(lcb_file: str) -> None:
    problem = next(p for p in BENCHMARKS["livecodebench"].load({"livecodebench": lcb_file}) if p.id == "first-day")
    assert problem.text == "Print a + b (first-day)."
    assert problem.messages == ({"role": "user", "content": (
        "You are an expert Python programmer. You will be given a question (problem specification) and will "
        "generate a correct Python program that matches the specification and passes all tests.\n\n"
        "### Question:\nPrint a + b (first-day).\n\n"
        "### Format: Read the inputs from stdin solve the problem and write the answer to stdout (do not directly "
        "test on the sample inputs). Enclose your code within delimiters as follows. Ensure that when the python "
        "program runs, it reads the inputs, runs the algorithm and writes output to STDOUT.\n"
        "```python\n# YOUR CODE HERE\n```\n\n"
        "### Answer: (use the provided format with backticks)\n\n")},)


def test_lcb_functional_prompt_shows_the_starter_code(lcb_file: str) -> None:
    problem = next(p for p in BENCHMARKS["livecodebench"].load({"livecodebench": lcb_file}) if p.id == "lc-3000")
    content = problem.messages[0]["content"]
    assert content.endswith(
        "### Format: You will use the following starter code to write the solution to the problem and enclose your "
        f"code within delimiters.\n```python\n{STARTER}\n```\n\n### Answer: (use the provided format with backticks)\n\n")
    assert "# YOUR CODE HERE" not in content and "stdin" not in content


def test_lcb_reference_round_trips(lcb_file: str) -> None:
    rows = {r["question_id"]: r for r in WINDOW_ROWS}
    for problem in BENCHMARKS["livecodebench"].load({"livecodebench": lcb_file}):
        assert problem.verify_opts == {"language": "python"}
        reference = json.loads(json.dumps(problem.reference))  # survives the store and a worker process
        assert problem_from_dict(reference) == from_livecodebench(rows[problem.id])
    functional = problem_from_dict(next(p.reference for p in BENCHMARKS["livecodebench"].load(
        {"livecodebench": lcb_file}) if p.id == "lc-3000"))
    assert (functional.kind, functional.func_name, len(functional.tests)) == ("functional", "twoSum", 2)


def test_lcb_malicious_pickle_is_refused_naming_the_row(tmp_path: Path, capfd) -> None:
    marker = tmp_path / "pwned"
    evil = base64.b64encode(zlib.compress(pickle.dumps(_Evil(f"touch {marker}")))).decode()
    path = write_jsonl(tmp_path / "lcb.jsonl", [lcb_row("fine", "2024-09-01T00:00:00"),
                                                 lcb_row("evil", "2024-09-02T00:00:00", private_test_cases=evil)])
    with pytest.raises(ProblemError, match=r"lcb\.jsonl:2 \(question_id 'evil'\).*unsafe pickle refused"):
        BENCHMARKS["livecodebench"].load({"livecodebench": path})
    assert not marker.exists() and "pwned" not in capfd.readouterr().out
    outside = write_jsonl(tmp_path / "old.jsonl", [lcb_row("evil", "2023-01-01T00:00:00", private_test_cases=evil)])
    assert BENCHMARKS["livecodebench"].load({"livecodebench": outside}) == []  # outside the window: never decoded


@pytest.mark.parametrize(("row", "message"), [
    (lcb_row("x", "last tuesday"), r"bad\.jsonl:1 \(question_id 'x'\): field 'contest_date' is 'last tuesday'"),
    (lcb_row("x", "2024-09-01", public_test_cases="[{"), r"bad\.jsonl:1 .*'public_test_cases' is not valid JSON"),
    ("just a string", r"bad\.jsonl:1: a JSON str, not an object"),  # the shared reader's DataError
])
def test_lcb_bad_rows_name_file_and_record(tmp_path: Path, row: Any, message: str) -> None:
    path = write_jsonl(tmp_path / "bad.jsonl", [row])
    with pytest.raises((ProblemError, DataError), match=message):
        BENCHMARKS["livecodebench"].load({"livecodebench": path})


def test_lcb_duplicate_ids_are_refused(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "dup.jsonl", [lcb_row("a", "2024-09-01"), lcb_row("a", "2024-09-02")])
    with pytest.raises(ProblemError, match=r"\['a'\] appear twice"):
        BENCHMARKS["livecodebench"].load({"livecodebench": path})


def test_lcb_reads_parquet_with_timestamps(tmp_path: Path) -> None:
    pa, pq = pytest.importorskip("pyarrow"), pytest.importorskip("pyarrow.parquet")
    from datetime import datetime

    rows = [r | {"contest_date": datetime.fromisoformat(r["contest_date"])} for r in WINDOW_ROWS]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "lcb.parquet")
    problems = BENCHMARKS["livecodebench"].load({"livecodebench": str(tmp_path / "lcb.parquet")})
    assert [p.id for p in problems] == ["first-day", "lc-3000", "last-day"]
    assert json.loads(json.dumps(problems[0].reference))["metadata"]["contest_date"] == "2024-08-01T00:00:00"


@pytest.mark.parametrize(("release", "files"), [
    ("release_v1", ["test.jsonl"]),
    ("release_v5", ["test.jsonl", "test2.jsonl", "test3.jsonl", "test4.jsonl", "test5.jsonl"]),
    ("release_latest", [f"test{n}.jsonl" for n in ("", 2, 3, 4, 5, 6)]),
    ("v4", ["test4.jsonl"]),
    ("v1", ["test.jsonl"]),
])
def test_lcb_release_files(release: str, files: list[str]) -> None:
    assert lcb.release_files(release) == files


@pytest.mark.parametrize("kwargs", [{"release": "release_v9"}, {"release": "latest"}, {"start": "2024/08/01"}])
def test_lcb_bad_options_fail_at_definition(kwargs: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="release|YYYY-MM-DD"):
        lcb.make_livecodebench(**kwargs)


def test_lcb_hub_download_fetches_the_release_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hub = pytest.importorskip("huggingface_hub")
    asked = []

    def fake_snapshot(repo_id: str, *, repo_type: str, revision: str, allow_patterns: list[str]) -> str:
        asked.append((repo_id, repo_type, revision, allow_patterns))
        folder = tmp_path / "snapshots" / ("c" * 40)
        folder.mkdir(parents=True, exist_ok=True)
        for name in allow_patterns:
            write_jsonl(folder / name, WINDOW_ROWS[1:3] if name == "test4.jsonl" else [])
        return str(folder)

    monkeypatch.setattr(hub, "snapshot_download", fake_snapshot)
    problems = lcb.make_livecodebench(release="release_v5", revision="abc123").load({})
    assert asked == [("livecodebench/code_generation_lite", "dataset", "abc123", lcb.release_files("release_v5"))]
    assert [p.id for p in problems] == ["first-day", "lc-3000"]


def test_lcb_offline_hub_names_the_data_flag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    constants = pytest.importorskip("huggingface_hub.constants")
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)  # the real download path, without the network
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    with pytest.raises(FileNotFoundError, match=r"livecodebench/code_generation_lite.*--data livecodebench=PATH"):
        BENCHMARKS["livecodebench"].load({})


# --- Codeforces ----------------------------------------------------------------------------------


def cf_row(pid: str, **overrides: Any) -> dict[str, Any]:
    contest, index = pid[:-1], pid[-1]
    row = {
        "id": pid, "aliases": [], "contest_id": contest, "contest_name": f"Codeforces Round {contest} (Div. 2)",
        "contest_type": "CF", "contest_start": 1735000000, "contest_start_year": 2024, "index": index,
        "time_limit": 1.0, "memory_limit": 256.0, "title": f"Sum {pid}", "description": "Given a and b, print a + b.",
        "input_format": "One line with a and b.", "output_format": "Print a + b.", "interaction_format": None,
        "note": None, "examples": [{"input": "1 2\n", "output": "3\n"}], "editorial": None, "rating": 1300,
        "tags": ["math"], "testset_size": 2, "official_tests": [{"input": "1 2\n", "output": "3\n"},
                                                               {"input": "5 5\n", "output": "10\n"}],
        "official_tests_complete": True, "input_mode": "stdio", "generated_checker": None, "executable": True,
        "generated_tests": 0,
    }
    return row | overrides


CF_ROWS = [
    cf_row("2050A"),
    cf_row("2050B", rating=2900, generated_checker="#include \"testlib.h\"\nint main() {}",
           official_tests_complete=False, time_limit=2.5, memory_limit=512.0),
    cf_row("2050C", interaction_format="Ask at most 20 queries of the form '? x'."),
    cf_row("2050D", official_tests=[]),
    cf_row("2050E", official_tests=None),
    cf_row("2050F", input_mode="file"),
    cf_row("2050G", interaction_format="Ask '? x'; the answer is <, > or =.", official_tests=[{"input": "100 37\n", "output": ""}],
           interactor="#include \"testlib.h\"\nint main(int argc, char* argv[]) { registerInteraction(argc, argv); }"),
]


@pytest.fixture
def cf_file(tmp_path: Path) -> str:
    return write_jsonl(tmp_path / "codeforces.jsonl", CF_ROWS)


def test_cf_skips_interactive_untested_and_file_problems(cf_file: str, capsys) -> None:
    problems = BENCHMARKS["codeforces"].load({"codeforces": cf_file})
    assert [p.id for p in problems] == ["2050A", "2050B", "2050G"]
    err = capsys.readouterr().err
    assert ("3 of 7 problems kept; skipped: 2 no official tests, 1 interactive without an interactor, "
            "1 file input (file)") in err
    interactive = problems[2].reference
    assert interactive["interactive"] and interactive["interactor"].startswith("#include") and not interactive["checker"]
    assert "interactive problem" in problems[2].messages[0]["content"] and "flush" in problems[2].messages[0]["content"]
    assert "flush" not in problems[0].messages[0]["content"]
    assert "1 kept with truncated official tests" in err
    assert problems[1].metadata == {"rating": 2900, "rating_band": "2800+", "contest_id": "2050", "index": "B"}


def test_cf_prompt_asks_for_cpp(cf_file: str) -> None:
    problem = BENCHMARKS["codeforces"].load({"codeforces": cf_file})[1]
    content = problem.messages[0]["content"]
    assert "complete C++17 program" in content and "```cpp\n<your code here>\n```" in content
    assert problem.text in content and "Given a and b, print a + b." in problem.text
    assert content.endswith("Time limit per test: 2.5 seconds\nMemory limit per test: 512 megabytes\n")
    assert problem.verify_opts == {"language": "cpp"}


def test_cf_python_variant(cf_file: str) -> None:
    problem = cf.make_codeforces(language="python").load({"codeforces": cf_file})[0]
    assert "complete Python 3 program" in problem.messages[0]["content"]
    assert "```python\n<your code here>\n```" in problem.messages[0]["content"]
    assert problem.verify_opts == {"language": "python"}
    with pytest.raises(ValueError, match="unknown language 'java'"):
        cf.make_codeforces(language="java")


def test_cf_reference_round_trips(cf_file: str) -> None:
    rows = {r["id"]: r for r in CF_ROWS}
    for problem in BENCHMARKS["codeforces"].load({"codeforces": cf_file}):
        reference = json.loads(json.dumps(problem.reference))
        assert problem_from_dict(reference) == from_codeforces(rows[problem.id])
    checked = problem_from_dict(BENCHMARKS["codeforces"].load({"codeforces": cf_file})[1].reference)
    assert (checked.checker.startswith("#include"), checked.time_limit_s, checked.memory_mb) == (True, 2.5, 512)


def test_cf_bad_row_names_file_and_record(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "cf.jsonl", [cf_row("1A"), cf_row("1B", official_tests=[{"input": "1\n"}])])
    with pytest.raises(ProblemError, match=r"cf\.jsonl:2 \(id '1B'\).*'input' and 'output'"):
        BENCHMARKS["codeforces"].load({"codeforces": path})


@pytest.mark.parametrize(("rating", "band"), [(800, "800-1199"), (1199, "800-1199"), (1200, "1200-1599"),
                                              (2799, "2400-2799"), (3500, "2800+"), (None, "unrated"), (0, "unrated")])
def test_rating_band(rating: Any, band: str) -> None:
    assert cf.rating_band(rating) == band


def test_cf_hub_rows_and_offline_error(cf_file: str, monkeypatch: pytest.MonkeyPatch) -> None:
    class Builder:
        hash = "f" * 40

        def __init__(self, repo: str, config: str | None, revision: str) -> None:
            if (repo, config, revision) != ("open-r1/codeforces", None, hub.PINNED["open-r1/codeforces"]):
                raise ValueError(f"unexpected {repo} {config} {revision}")

        def download_and_prepare(self) -> None:
            pass

        def as_dataset(self, split: str) -> list[dict[str, Any]]:
            if split != "test":
                raise ValueError(f"Unknown split {split!r}")
            return [cf_row("7A")]

    fake = types.ModuleType("datasets")
    fake.load_dataset_builder = Builder
    monkeypatch.setitem(sys.modules, "datasets", fake)
    assert [p.id for p in BENCHMARKS["codeforces"].load({})] == ["7A"]
    with pytest.raises(FileNotFoundError, match=r"open-r1/codeforces, split train.*Unknown split.*--data codeforces"):
        cf.make_codeforces(split="train").load({})

    def offline(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("Couldn't reach 'open-r1/codeforces' on the Hub (LocalEntryNotFoundError)")

    fake.load_dataset_builder = offline
    with pytest.raises(FileNotFoundError, match=r"ConnectionError: Couldn't reach.*--data codeforces=PATH"):
        BENCHMARKS["codeforces"].load({})
    monkeypatch.setitem(sys.modules, "datasets", None)  # not installed
    with pytest.raises(FileNotFoundError, match=r"(ModuleNotFound|Import)Error.*--data codeforces=PATH"):
        BENCHMARKS["codeforces"].load({})
