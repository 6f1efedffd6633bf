"""Tests for evals.judge.problems: LCB/Codeforces rows, problem files, safe test decoding, code extraction."""
from __future__ import annotations

import base64
import json
import os
import pickle
import zlib
from pathlib import Path
from typing import Any

import pytest

import evals.judge.problems as problems
from evals.judge.problems import (
    CodeProblem,
    ProblemError,
    TestCase,
    decode_private_tests,
    extract_code,
    from_codeforces,
    from_livecodebench,
    load_problem_file,
    problem_from_dict,
)

STDIN_TESTS = [{"input": "1 2\n", "output": "3\n", "testtype": "stdin"},
               {"input": "5 5\n", "output": "10\n", "testtype": "stdin"}]


def encode(tests: Any, protocol: int = pickle.DEFAULT_PROTOCOL) -> str:
    """LCB's private-test encoding."""
    return base64.b64encode(zlib.compress(pickle.dumps(json.dumps(tests), protocol=protocol))).decode()


def encode_object(obj: Any, protocol: int = pickle.DEFAULT_PROTOCOL) -> str:
    return base64.b64encode(zlib.compress(pickle.dumps(obj, protocol=protocol))).decode()


def lcb_row(**overrides: Any) -> dict[str, Any]:
    row = {
        "question_id": "abc123_a",
        "question_title": "Sum",
        "question_content": "Print a + b.",
        "platform": "atcoder",
        "difficulty": "easy",
        "contest_id": "abc123",
        "contest_date": "2024-01-01T00:00:00",
        "starter_code": "",
        "public_test_cases": json.dumps(STDIN_TESTS[:1]),
        "private_test_cases": encode(STDIN_TESTS[1:]),
        "metadata": "{}",
    }
    return row | overrides


# --- decode_private_tests ------------------------------------------------------------------------


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_decode_private_tests_round_trip(protocol: int) -> None:
    assert decode_private_tests(encode(STDIN_TESTS, protocol)) == STDIN_TESTS


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (json.dumps(STDIN_TESTS), STDIN_TESTS),  # older releases store plain JSON
        (STDIN_TESTS, STDIN_TESTS),  # already decoded
        ("", []),
        (encode([]), []),
    ],
)
def test_decode_private_tests_other_forms(value: Any, expected: list) -> None:
    assert decode_private_tests(value) == expected


class _Evil:
    def __init__(self, command: str) -> None:
        self.command = command

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, (self.command,))


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))  # GLOBAL and STACK_GLOBAL opcodes
def test_malicious_pickle_is_refused_without_running(protocol: int, tmp_path: Path, capfd) -> None:
    marker = tmp_path / "pwned"
    for command in ("echo pwned", f"touch {marker}"):
        payload = encode_object(_Evil(command), protocol)
        with pytest.raises(ProblemError, match=r"unsafe pickle refused \(payload references \w+\.system\)"):
            decode_private_tests(payload)
    assert not marker.exists()
    assert "pwned" not in capfd.readouterr().out


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (encode_object(len), "unsafe pickle refused"),  # any global at all, even a harmless builtin
        (encode_object(STDIN_TESTS), "pickle holds list, expected a JSON string"),
        (encode_object("not json"), "decoded payload is not JSON"),
        (encode_object(json.dumps({"a": 1})), "expected a JSON list"),
        (encode_object(json.dumps([1, 2])), "expected a JSON list"),
        ("@@@ not base64 @@@", "neither JSON nor base64"),
        (base64.b64encode(b"not zlib").decode(), "neither JSON nor base64"),
        (base64.b64encode(zlib.compress(b"\x80\x04garbage")).decode(), "corrupt pickle"),
        (encode(STDIN_TESTS)[:-8], "private_test_cases"),  # truncated download
    ],
)
def test_decode_private_tests_errors(payload: str, message: str) -> None:
    with pytest.raises(ProblemError, match=message):
        decode_private_tests(payload)


def test_decode_private_tests_caps_inflated_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(problems, "MAX_PRIVATE_TESTS_BYTES", 1000)
    with pytest.raises(ProblemError, match="inflates to more than 1000 bytes"):
        decode_private_tests(encode([{"input": "x" * 5000, "output": "", "testtype": "stdin"}]))


# --- LiveCodeBench rows ---------------------------------------------------------------------------


def test_from_livecodebench_stdin() -> None:
    problem = from_livecodebench(lcb_row())
    assert problem.id == "abc123_a" and problem.kind == "stdin" and problem.func_name is None
    assert problem.tests == [TestCase("1 2\n", "3\n"), TestCase("5 5\n", "10\n")]  # public first
    assert problem.statement == "Print a + b."
    assert problem.time_limit_s == 6.0 and not problem.interactive and problem.checker is None
    assert problem.metadata["n_public_tests"] == 1
    assert problem.metadata["platform"] == "atcoder" and problem.metadata["source"] == "livecodebench"


def test_from_livecodebench_functional() -> None:
    tests = [{"input": "[2,7,11,15]\n9", "output": "[0, 1]", "testtype": "functional"}]
    row = lcb_row(platform="leetcode", public_test_cases=json.dumps(tests), private_test_cases=encode(tests),
                  metadata=json.dumps({"func_name": "twoSum"}), starter_code="class Solution:\n    def twoSum")
    problem = from_livecodebench(row, time_limit_s=10)
    assert problem.kind == "functional" and problem.func_name == "twoSum" and problem.time_limit_s == 10
    assert len(problem.tests) == 2 and problem.metadata["starter_code"].startswith("class Solution")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"question_id": ""}, "question_id"),
        ({"public_test_cases": "[", "private_test_cases": ""}, "'public_test_cases' is not valid JSON"),
        ({"public_test_cases": "[]", "private_test_cases": ""}, "tests must exist"),
        ({"public_test_cases": json.dumps([{"input": "1", "output": "1", "testtype": "functional"}])},
         "share one testtype"),
        ({"public_test_cases": json.dumps([{"input": "1", "testtype": "stdin"}])}, "lacks field 'output'"),
        ({"public_test_cases": json.dumps([{"input": "1", "output": "1", "testtype": "functional"}]),
          "private_test_cases": ""}, "'func_name'"),  # functional without metadata.func_name
        ({"metadata": "[1]"}, "'metadata' must be a JSON object"),
        ({"private_test_cases": encode_object(_Evil("echo pwned"))}, "unsafe pickle refused"),
    ],
)
def test_from_livecodebench_errors(overrides: dict, message: str) -> None:
    with pytest.raises(ProblemError, match=message):
        from_livecodebench(lcb_row(**overrides))


# --- Codeforces rows ------------------------------------------------------------------------------


def cf_row(**overrides: Any) -> dict[str, Any]:
    row = {
        "id": "2000A", "contest_id": 2000, "index": "A", "title": "Sum",
        "description": "Add two numbers.", "input_format": "Two integers.", "output_format": "Their sum.",
        "interaction_format": None, "note": None, "examples": [{"input": "1 2", "output": "3"}],
        "time_limit": 1.5, "memory_limit": 256.0, "rating": 800, "tags": ["math"],
        "official_tests": [{"input": "1 2\n", "output": "3\n"}], "generated_checker": None,
    }
    return row | overrides


def test_from_codeforces() -> None:
    problem = from_codeforces(cf_row())
    assert problem.id == "2000A" and problem.kind == "stdin"
    assert problem.time_limit_s == 1.5 and problem.memory_mb == 256
    assert problem.tests == [TestCase("1 2\n", "3\n")] and problem.checker is None and not problem.interactive
    assert problem.metadata["rating"] == 800 and problem.metadata["tags"] == ["math"]
    for part in ("Add two numbers.", "Input\nTwo integers.", "Output\nTheir sum.", "Example 1\nInput\n1 2"):
        assert part in problem.statement


@pytest.mark.parametrize(
    ("overrides", "check"),
    [
        ({"generated_checker": "#include \"testlib.h\"\nint main() {}"}, lambda p: p.checker.startswith("#include")),
        ({"interaction_format": "Ask queries."}, lambda p: p.interactive and "Interaction\nAsk" in p.statement),
        ({"interaction_format": "Ask.", "interactor": "import sys", "generated_checker": "import os"},
         lambda p: p.interactor == "import sys" and p.checker == "import os"),  # both kept: the checker reads tout
        ({"interaction_format": "Ask.", "interactor": "import sys"}, lambda p: p.interactor and p.checker is None),
        ({"id": None}, lambda p: p.id == "2000A"),  # rebuilt from contest_id + index
        ({"time_limit": None, "memory_limit": None}, lambda p: p.time_limit_s == 2.0 and p.memory_mb == 256),
    ],
)
def test_from_codeforces_variants(overrides: dict, check: Any) -> None:
    assert check(from_codeforces(cf_row(**overrides)))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"official_tests": []}, "'official_tests' is empty"),
        ({"official_tests": None}, "'official_tests' is empty"),
        ({"official_tests": [{"input": "1"}]}, "needs 'input' and 'output'"),
        ({"time_limit": -1}, "time_limit_s"),
        ({"id": None, "contest_id": None, "index": None}, "no 'id'"),
    ],
)
def test_from_codeforces_errors(overrides: dict, message: str) -> None:
    with pytest.raises(ProblemError, match=message):
        from_codeforces(cf_row(**overrides))


# --- problem files --------------------------------------------------------------------------------


def write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "problem.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


MINIMAL = {"id": "p1", "tests": [{"input": "1\n", "output": "1\n"}]}


def test_load_problem_file_defaults(tmp_path: Path) -> None:
    problem = load_problem_file(write(tmp_path, MINIMAL))
    assert problem == CodeProblem(id="p1", statement="", tests=[TestCase("1\n", "1\n")])
    assert (problem.kind, problem.time_limit_s, problem.memory_mb, problem.checker) == ("stdin", 2.0, 256, None)


@pytest.mark.parametrize("source", ["lcb_functional", "codeforces", "full"])
def test_problem_file_round_trip(tmp_path: Path, source: str) -> None:
    if source == "lcb_functional":
        tests = [{"input": "1\n2", "output": "3", "testtype": "functional"}]
        problem = from_livecodebench(lcb_row(public_test_cases=json.dumps(tests), private_test_cases="",
                                             metadata=json.dumps({"func_name": "add"})))
    elif source == "codeforces":
        problem = from_codeforces(cf_row(generated_checker="int main() {}"))
    else:
        problem = CodeProblem(id="x", statement="s", tests=[TestCase("a", "b")], checker="wcmp",
                              interactive=True, time_limit_s=0.5, memory_mb=64, metadata={"k": [1]})
    assert load_problem_file(write(tmp_path, problem.to_dict())) == problem


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{not json", "not valid JSON"),
        ([1, 2], "expected a JSON object"),
        ({"tests": MINIMAL["tests"]}, '"id" is required'),
        (MINIMAL | {"time_limit": 2}, r"unknown fields \['time_limit'\]"),
        (MINIMAL | {"tests": []}, '"tests" must be a non-empty list'),
        (MINIMAL | {"tests": [{"input": "1"}]}, r"tests\[0\] must be exactly"),
        (MINIMAL | {"tests": [{"input": 1, "output": "1"}]}, r"tests\[0\]"),
        (MINIMAL | {"kind": "batch"}, "field 'kind' is 'batch'"),
        (MINIMAL | {"kind": "functional"}, "'func_name'"),
        (MINIMAL | {"kind": "functional", "func_name": "two sum"}, "'func_name'"),
        (MINIMAL | {"time_limit_s": 0}, "'time_limit_s'"),
        (MINIMAL | {"time_limit_s": "2"}, "'time_limit_s'"),
        (MINIMAL | {"memory_mb": 1.5}, "'memory_mb'"),
        (MINIMAL | {"interactive": "no"}, "'interactive'"),
        (MINIMAL | {"checker": ""}, "'checker'"),
        (MINIMAL | {"metadata": []}, "'metadata'"),
        (MINIMAL | {"id": 5}, "'id'"),
    ],
)
def test_load_problem_file_errors_name_file_and_field(tmp_path: Path, data: Any, message: str) -> None:
    path = write(tmp_path, data)
    with pytest.raises(ProblemError, match=message) as info:
        load_problem_file(path)
    assert str(path) in str(info.value)


def test_load_problem_file_missing(tmp_path: Path) -> None:
    with pytest.raises(ProblemError, match="cannot read the problem file"):
        load_problem_file(tmp_path / "nope.json")


def test_problem_from_dict_names_its_source() -> None:
    with pytest.raises(ProblemError, match="^row 7: "):
        problem_from_dict({"id": "x"}, "row 7")


# --- extract_code ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("completion", "language", "code"),
    [
        ("```python\nprint(1)\n```", "python", "print(1)"),
        ("a\n```python\nprint(1)\n```\nb\n```python\nprint(2)\n```\nc", "python", "print(2)"),  # last wins
        ("```py\nx = 1\n```", "python", "x = 1"),
        ("```Python3\nx = 1\n```", "py", "x = 1"),
        ("```python title='a.py'\nx = 1\n```", "python", "x = 1"),
        ("```\nprint(3)\n```", "python", "print(3)"),  # untagged fallback
        ("```python\nprint(1)\n```\n```\n3\n```", "python", "print(1)"),  # tagged beats a later untagged
        ("```cpp\nint main(){}\n```\n```python\nprint(1)\n```", "cpp", "int main(){}"),
        ("```c++\nint main(){}\n```", "c++", "int main(){}"),
        ("```cpp\nint main(){}\n```", "python", None),  # another language only
        ("no code here", "python", None),
        ("", "python", None),
        ("```python\nprint(1)", "python", None),  # unclosed: incomplete
        ("```python\n\n```", "python", None),  # empty
        ("```python\nprint(1)\n```\n```python\nprint(2)", "python", "print(1)"),  # last one unclosed
        # the answer region only: code inside thinking is ignored
        ("<think>\n```python\nprint('draft')\n```\n</think>\n```python\nprint('final')\n```", "python",
         "print('final')"),
        ("<think>\n```python\nprint('draft')\n```\n</think>\nThe answer is above.", "python", None),
        ("<think>\n```python\nprint('draft')\n```\n", "python", None),  # thinking never closed
        ("<think>a</think>b</think>\n```python\nx = 2\n```", "python", "x = 2"),  # after the LAST </think>
        ("```python\r\nprint(1)\r\n```\r\n", "python", "print(1)"),  # CRLF
        ("````python\nx = '```'\n```\ny = 1\n````", "python", "x = '```'\n```\ny = 1"),  # longer fence
        ("```python\nprint(1)\n```python\nprint(2)\n```", "python", "print(1)\n```python\nprint(2)"),
        ("  ```python\n  x = 1\n  ```", "python", "  x = 1"),  # indented fences
    ],
)
def test_extract_code(completion: str, language: str, code: str | None) -> None:
    assert extract_code(completion, language) == code


def test_extract_code_think_prefilled() -> None:
    assert extract_code("```python\nx = 1\n```", "python", think_prefilled=True) is None
    assert extract_code("draft</think>```python\nx = 1\n```", "python", think_prefilled=True) == "x = 1"


def test_extract_code_unknown_language() -> None:
    with pytest.raises(ValueError, match="unknown language 'rust'"):
        extract_code("```rust\nfn main(){}\n```", "rust")
