"""The judge never blames a program for the jury's faults, and refuses absurd problems when they load.

Red-team style: each row is a way a problem file or a checker can be wrong. Before this file, an
unknown stock checker name ran as Python (a correct A+B got wrong_answer), a Python checker's crash
was read as WA, `time_limit_s: Infinity` was an OverflowError traceback and 1e9 never returned.
"""
import json
import os
import queue
import subprocess
import sys
from types import SimpleNamespace

import pytest

from evals.judge import checkers, judging
from evals.judge.problems import (
    LIMITS,
    MAX_TEST_BYTES,
    MAX_TESTS,
    STOCK_CHECKERS,
    CodeProblem,
    ProblemError,
    TestCase,
    load_problem_file,
)
from evals.judge.sandbox import OUTPUT_LIMIT, check_layers

AB_TESTS = [{"input": f"{i} {i}\n", "output": f"{2 * i}\n"} for i in range(1, 4)]
AB = {"id": "a-plus-b", "tests": AB_TESTS}
PY_AB = "a, b = map(int, input().split())\nprint(a + b)\n"
needs_sandbox = pytest.mark.skipif(not check_layers().ok, reason="sandbox layers missing")


def write(tmp_path, data, name="p.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


BAD_PROBLEMS = [
    # (fields, what the message must say)
    ('{"id": "p", "time_limit_s": Infinity, "tests": %s}' % json.dumps(AB_TESTS), r"'time_limit_s' is inf.*\[0.1, 60.0\]"),
    ('{"id": "p", "time_limit_s": NaN, "tests": %s}' % json.dumps(AB_TESTS), r"'time_limit_s' is nan"),
    (AB | {"time_limit_s": 1e9}, r"'time_limit_s' is 1000000000.0; give seconds in the range \[0.1, 60.0\]"),
    (AB | {"time_limit_s": 0.001}, r"'time_limit_s'"),
    (AB | {"time_limit_s": -2}, r"'time_limit_s'"),
    (AB | {"memory_mb": 10 ** 9}, r"'memory_mb' is 1000000000; give whole megabytes in the range \[16, 4096\]"),
    (AB | {"memory_mb": 4}, r"'memory_mb'"),
    (AB | {"tests": [AB_TESTS[0]] * (MAX_TESTS + 1)}, rf"{MAX_TESTS + 1} tests; at most {MAX_TESTS}"),
    (AB | {"tests": [{"input": "1", "output": "x" * (MAX_TEST_BYTES + 1)}]}, r"tests\[0\] is larger than 32 MiB"),
    (AB | {"checker": "ncmp"}, r"'checker' is 'ncmp', which is no stock checker \(known: lcmp, wcmp, rcmp4"),
    (AB | {"checker": "rcmp"}, r"no stock checker"),
    (AB | {"checker": " testlib.hcmp "}, r"'testlib.hcmp'"),
]


@pytest.mark.parametrize("data,message", BAD_PROBLEMS, ids=range(len(BAD_PROBLEMS)))
def test_absurd_problems_are_refused_at_load_naming_problem_field_and_range(tmp_path, data, message):
    path = write(tmp_path, data)
    with pytest.raises(ProblemError, match=message) as info:
        load_problem_file(path)
    assert str(path) in str(info.value) and "'p'" in str(info.value) or "'a-plus-b'" in str(info.value)


@pytest.mark.parametrize("fields", [
    {"time_limit_s": LIMITS["time_limit_s"][0]}, {"time_limit_s": LIMITS["time_limit_s"][1]}, {"time_limit_s": 15},
    {"memory_mb": LIMITS["memory_mb"][0]}, {"memory_mb": LIMITS["memory_mb"][1]},
    *({"checker": name} for name in STOCK_CHECKERS), {"checker": " wcmp\n"},
    {"checker": "import sys\nsys.exit(0)"}, {"checker": "#include <cstdio>\nint main(){return 0;}"},
])
def test_the_edges_of_the_ranges_and_every_stock_name_load(tmp_path, fields):
    assert load_problem_file(write(tmp_path, AB | fields)).id == "a-plus-b"


def test_the_test_size_limit_is_the_sandboxs_output_limit():
    assert MAX_TEST_BYTES == OUTPUT_LIMIT
    assert tuple(checkers.STOCK) == STOCK_CHECKERS


@pytest.mark.parametrize("data,message", [
    ('{"id": "p", "time_limit_s": Infinity, "tests": %s}' % json.dumps(AB_TESTS), "[0.1, 60.0]"),
    (AB | {"time_limit_s": 1e9}, "[0.1, 60.0]"),
    (AB | {"memory_mb": 10 ** 6}, "[16, 4096]"),
    (AB | {"checker": "ncmp"}, "known: lcmp, wcmp"),
])
def test_the_cli_exits_2_with_the_allowed_range_and_no_traceback(tmp_path, data, message):
    path = write(tmp_path, data)
    (tmp_path / "ab.py").write_text(PY_AB)
    done = subprocess.run([sys.executable, "-m", "evals", "judge", str(path), str(tmp_path / "ab.py")],
                          capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and str(path) in done.stderr and "Traceback" not in done.stderr


def test_a_checker_name_that_skipped_validation_is_still_never_run_as_code():
    problem = CodeProblem("p", "", [TestCase("1 1\n", "2\n")], checker="wcmp")
    object.__setattr__(problem, "checker", "ncmp")  # as a problem built around __post_init__ would be
    with pytest.raises(checkers.CheckerError, match="no stock checker"):
        with checkers.open_checker(problem.checker):
            pass


BROKEN_CHECKERS = [
    ("python exception", "raise RuntimeError('jury bug')", "RuntimeError"),
    ("python name error", "import sys\nsys.argv[1]\nundefined_name", "NameError"),
    ("python syntax error", "def (:", "does not compile"),
    ("unknown exit code", "import sys\nsys.exit(42)", "exit 42"),
    ("testlib FAIL", "import sys\nsys.exit(3)", "exit 3"),
    ("flood of output", "import sys\nwhile True: sys.stdout.write('x' * 65536)", "checker"),
    ("hang", "while True: pass", "time_limit"),
    ("cpp compile error", "#include <cstdio>\nint main( { return 0; }", "does not compile"),
    ("cpp crash", "#include <cstdlib>\nint main(){ abort(); }", "signal"),
]


@needs_sandbox
@pytest.mark.slow
@pytest.mark.parametrize("name,checker,why", BROKEN_CHECKERS, ids=[row[0] for row in BROKEN_CHECKERS])
def test_a_broken_checker_is_a_judge_error_for_a_correct_program(name, checker, why):
    problem = CodeProblem("a-plus-b", "", [TestCase("1 1\n", "2\n")], checker=checker)
    result = judging.judge_code(problem, PY_AB, "python")
    assert result.reason == "judge_error", result.to_dict()
    assert why in (result.error or "") + "".join(t.detail for t in result.tests), result.to_dict()


@needs_sandbox
def test_a_working_python_checker_still_decides_both_ways():
    """The positive control for the crash wrapper: exit 0 is correct, exit 1 is still WA."""
    checker = "import sys\nout = open(sys.argv[2]).read().split()\nsys.exit(0 if out == ['2'] else 1)"
    problem = CodeProblem("a-plus-b", "", [TestCase("1 1\n", "2\n")], checker=checker)
    assert judging.judge_code(problem, PY_AB, "python").reason == "correct"
    assert judging.judge_code(problem, "print(3)", "python").reason == "wrong_answer"


@needs_sandbox
def test_a_checker_whose_sandbox_died_is_restarted_with_the_checker_built_again(tmp_path):
    out = tmp_path / "out.txt"
    out.write_text("2\n")
    with checkers.open_checker("import sys\nsys.exit(0 if open(sys.argv[2]).read().split() == ['2'] else 1)") as c:
        assert c.check("1 1\n", str(out), "2\n")[0] == "correct"
        c.box.proc.kill()  # the OOM killer, or a stray signal, between two tests
        c.box.proc.wait()
        assert c.check("1 1\n", str(out), "2\n")[0] == "correct"
        out.write_text("3\n")
        assert c.check("1 1\n", str(out), "2\n")[0] == "wrong_answer"


class _HarnessDiesWhileIdle(queue.Queue):
    """judge_many's queue of idle boxes, where a box's harness is killed while it waits (after its
    reset, before its next submission), as the OOM killer or a stray signal would."""

    def get(self, *args, **kwargs):
        slot, box = super().get(*args, **kwargs)
        if box is not None:
            box.proc.kill()
            box.proc.wait()
        return slot, box


@needs_sandbox
def test_judge_many_replaces_a_box_that_died_while_idle(monkeypatch):
    monkeypatch.setattr(judging, "queue", SimpleNamespace(Queue=_HarnessDiesWhileIdle))
    problem = CodeProblem("a-plus-b", "", [TestCase(t["input"], t["output"]) for t in AB_TESTS])
    results = judging.judge_many([(problem, PY_AB, "python")] * 3, workers=1)
    assert [r.reason for r in results] == ["correct"] * 3, [r.to_dict() for r in results]
