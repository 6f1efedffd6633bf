"""Interactive problems and shipped testlib: solution and interactor in two sandboxes joined by pipes.

The interactor is tests/redteam/interactors/guess.cpp (testlib, ours): guess a hidden number with at
most 30 questions. Hostile solutions and hanging interactors are in tests/redteam (test_redteam.py);
here: the verdict rules of evals.judge.interaction, Python and C++ on both sides, the jury cache.
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from evals.judge import jury
from evals.judge.judging import judge_code
from evals.judge.problems import CodeProblem, ProblemError, TestCase, problem_from_dict
from evals.judge.sandbox import check_layers

pytestmark = pytest.mark.skipif(not check_layers().ok, reason="the code sandbox is unavailable here")

GUESS_INTERACTOR = (Path(__file__).parent / "redteam" / "interactors" / "guess.cpp").read_text()
TESTS = [TestCase("100 37\n", ""), TestCase("1000000 1\n", ""), TestCase("1000000 1000000\n", "")]
GUESS = CodeProblem("guess", "guess the number", TESTS, time_limit_s=1.0, interactive=True, interactor=GUESS_INTERACTOR)

PY_BINARY = """
n = int(input()); lo, hi = 1, n
while True:
    m = (lo + hi) // 2
    print("?", m, flush=True)
    r = input()
    if r == "=": break
    lo, hi = (m + 1, hi) if r == ">" else (lo, m - 1)
"""
CPP_BINARY = """#include <iostream>
#include <string>
int main() { int n; std::cin >> n; int lo = 1, hi = n;
  for (;;) { int m = lo + (hi - lo) / 2; std::cout << "? " << m << std::endl; std::string r; std::cin >> r;
    if (r == "=") return 0; if (r == ">") lo = m + 1; else hi = m - 1; } }
"""
PY_LINEAR = "n = int(input())\nfor y in range(1, n + 1):\n    print('?', y, flush=True)\n    if input() == '=': break\n"
PY_NO_FLUSH = "import sys\nn = int(sys.stdin.readline())\nprint('?', 37)\nprint(sys.stdin.readline(), file=sys.stderr)\n"  # input() would flush
PY_OUT_OF_RANGE = "n = int(input())\nprint('?', n + 1, flush=True)\ninput()\n"
PY_NOT_A_NUMBER = "n = int(input())\nprint('? x', flush=True)\ninput()\n"
PY_CRASH = "n = int(input())\nraise SystemExit(3)\n"
PY_SLEEPS = "import time\nn = int(input())\ntime.sleep(60)\n"
PY_BUSY = "n = int(input())\nwhile True: pass\n"
PY_MEMORY = "n = int(input())\nx = bytearray(600 << 20)\nprint('?', 1, flush=True)\n"


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("R1_EVALS_CACHE", str(tmp_path_factory.getbasetemp() / "jury-cache"))


@pytest.mark.parametrize("code, language, reason", [
    (PY_BINARY, "python", "correct"),
    (CPP_BINARY, "cpp", "correct"),
    (PY_LINEAR, "python", "wrong_answer"),  # 30 questions are not enough for n = 10^6
    (PY_OUT_OF_RANGE, "python", "wrong_answer"),  # testlib: a value out of readInt(1, n)'s range is WA
    (PY_NOT_A_NUMBER, "python", "wrong_format"),  # ... and no number at all is PE
    (PY_CRASH, "python", "runtime_error"),  # the solution ended first, on its own: its fault wins
    (PY_SLEEPS, "python", "idleness_limit"),  # both wait: ended at once, not at the wall limit
    (PY_NO_FLUSH, "python", "idleness_limit"),  # the classic: the question sits in the solution's buffer
    (PY_BUSY, "python", "time_limit"),
    (PY_MEMORY, "python", "memory_limit"),
], ids=["binary-py", "binary-cpp", "linear", "out-of-range", "not-a-number", "crash", "sleeps", "no-flush", "busy", "memory"])
def test_interactive_verdicts(code, language, reason):
    start = time.monotonic()
    result = judge_code(GUESS, code, language)
    assert result.reason == reason, (result.error, [(t.reason, t.detail) for t in result.tests])
    if reason == "correct":
        assert result.passed == len(TESTS) and "found" in result.tests[0].detail
    if reason == "idleness_limit":
        assert time.monotonic() - start < 15  # idle_s is 1 s here; the wall limit alone would be 3 s per sandbox


def test_all_tests_mode_and_python_interactor():
    interactor = """import sys
n, x = map(int, open(sys.argv[1]).read().split())
print(n, flush=True)
for asked in range(30):
    what, y = input().split()
    if int(y) == x:
        print("=", flush=True); sys.exit(0)
    print(">" if y and int(y) < x else "<", flush=True)
sys.exit(1)
"""
    problem = CodeProblem("guess-py", "", TESTS, time_limit_s=1.0, interactive=True, interactor=interactor)
    assert judge_code(problem, PY_BINARY, "python").reason == "correct"
    result = judge_code(problem, PY_LINEAR, "python", stop_at_first_failure=False)
    assert [t.reason for t in result.tests] == ["wrong_answer", "correct", "wrong_answer"]  # x = 37, 1, 10^6


@pytest.mark.parametrize("interactor, needle", [
    ("import sys\nsys.exit(3)\n", "exit code 3"),  # testlib's FAIL: a jury bug
    ("import sys\nprint(100, flush=True)\nsys.exit(5)\n", "exit code 5"),  # an unknown code is never blamed on the solution
    ('#include "testlib.h"\nint main( { }', "does not compile"),
    ("import os, time\nprint(100, flush=True)\nos.kill(os.getpid(), 9)\n", "interactor"),  # killed by a signal
], ids=["fail", "unknown-exit", "no-compile", "signal"])
def test_interactor_failures_are_judge_errors(interactor, needle):
    problem = CodeProblem("broken", "", TESTS[:1], time_limit_s=1.0, interactive=True, interactor=interactor)
    result = judge_code(problem, PY_BINARY, "python")
    text = (result.error or "") + " ".join(t.detail for t in result.tests)
    assert result.reason == "judge_error" and needle in text, text


def test_interactive_problem_without_interactor_is_a_judge_error():
    problem = CodeProblem("no-interactor", "", TESTS[:1], interactive=True)
    result = judge_code(problem, PY_BINARY, "python")
    assert result.reason == "judge_error" and "without an interactor" in result.error and not result.tests


@pytest.mark.parametrize("fields, needle", [
    ({"interactor": "x"}, 'needs "interactive": true'),
    ({"interactor": "x", "interactive": True, "kind": "functional", "func_name": "f"}, 'kind "stdin"'),
    ({"interactor": "", "interactive": True}, "interactor' must be null"),
    ({"interactor": "x", "interactive": True, "checker": "ncmp"}, "no stock checker"),  # the checker is still checked
])
def test_problem_files_check_the_interactor_field(fields, needle):
    with pytest.raises(ProblemError, match=needle):
        problem_from_dict({"id": "p", "tests": [{"input": "1", "output": ""}], **fields}, "p.json")
    assert problem_from_dict(GUESS.to_dict(), "guess.json") == GUESS  # the file form round-trips
    both = problem_from_dict({"id": "p", "tests": [{"input": "1", "output": "1"}], "interactive": True,
                              "interactor": "x", "checker": "wcmp"}, "p.json")  # Polygon's interactor + checker
    assert both.interactor == "x" and both.checker == "wcmp"


# --- interactor + checker (Polygon): the checker judges the interactor's tout -----------------------

SUM_INTERACTOR = """import sys
data = open(sys.argv[1]).read().split()
tout = open(sys.argv[2], "w")
for i in range(int(data[0])):
    print(data[1 + 2 * i], data[2 + 2 * i], flush=True)
    answer = input().strip()
    if not answer.lstrip("-").isdigit():
        sys.exit(2)  # PE: not a number
    tout.write(answer + "\\n")  # logged, not judged: the checker does that
tout.close()
"""
SUM_CHECKER = """import sys
_, got, want = (open(path).read().split() for path in sys.argv[1:4])
print("ok" if got == want else f"expected {want}, found {got}", file=sys.stderr)
sys.exit(0 if got == want else 1)
"""
SUM_TESTS = [TestCase("2\n1 2\n3 4\n", "3\n7\n"), TestCase("1\n-5 5\n", "0\n")]
PY_SUM = """while True:
    try:
        a, b = map(int, input().split())
    except EOFError:
        break
    print(ANSWER, flush=True)
"""
TOUT_FLOOD = "import sys\nwith open(sys.argv[2], 'w') as f:\n    while True:\n        f.write('x' * 65536)\n"


def sum_problem(interactor: str = SUM_INTERACTOR, checker: str | None = SUM_CHECKER) -> CodeProblem:
    return CodeProblem("sum", "", SUM_TESTS, time_limit_s=1.0, interactive=True, interactor=interactor, checker=checker)


@pytest.mark.parametrize("answer, checker, reason, needle", [
    ("a + b", SUM_CHECKER, "correct", "ok"),
    ("a - b", SUM_CHECKER, "wrong_answer", "expected ['3', '7'], found ['-1', '-1']"),  # the checker read tout
    ("a - b", None, "correct", ""),  # control: the interactor alone accepts anything
    ("a + b", "wcmp", "correct", ""),  # a stock checker on tout
    ("a + b + 1", "wcmp", "wrong_answer", "token 1"),
    ("'x'", "import sys\nsys.exit(3)\n", "wrong_format", ""),  # the interactor's PE decides: the checker never runs
], ids=["ok", "checker-wa", "no-checker", "stock-ok", "stock-wa", "interactor-pe-first"])
def test_interactor_with_checker(answer, checker, reason, needle):
    result = judge_code(sum_problem(checker=checker), PY_SUM.replace("ANSWER", answer), "python")
    assert result.reason == reason, (result.error, [(t.reason, t.detail) for t in result.tests])
    assert needle in " ".join(t.detail for t in result.tests)


@pytest.mark.parametrize("interactor, checker, needle", [
    (SUM_INTERACTOR, "import sys\nsys.exit(3)\n", "checker"),  # the checker's FAIL
    (SUM_INTERACTOR, "raise ValueError('bug')\n", "checker"),  # a crash is never the program's WA
    (SUM_INTERACTOR, '#include "testlib.h"\nint main( { }', "does not compile"),
    (TOUT_FLOOD, SUM_CHECKER, "tout or stderr reached the output limit"),  # a tout flood: the jury's fault
    (TOUT_FLOOD, None, "tout or stderr reached the output limit"),  # ... with or without a checker
], ids=["checker-fail", "checker-crash", "checker-no-compile", "tout-flood", "tout-flood-no-checker"])
def test_interactor_and_checker_failures_are_judge_errors(interactor, checker, needle):
    result = judge_code(sum_problem(interactor, checker), PY_SUM.replace("ANSWER", "a + b"), "python")
    text = (result.error or "") + " ".join(t.detail for t in result.tests)
    assert result.reason == "judge_error" and needle in text, text


def test_testlib_ships_and_jury_programs_are_built_once(tmp_path, monkeypatch):
    monkeypatch.setenv("R1_EVALS_CACHE", str(tmp_path))
    header = jury.testlib_header()
    assert header.parent == jury.TESTLIB_DIR and "MikeMirzayanov" in header.read_text()[:4000]
    assert (jury.TESTLIB_DIR / "LICENSE").read_text().startswith("The MIT License")
    checker = '#include <testlib.h>\nint main(int argc, char* argv[]) { registerTestlibCmd(argc, argv);\n' \
              '  int want = ans.readInt(), got = ouf.readInt(); if (want != got) quitf(_wa, "no"); quitf(_ok, "yes"); }'
    problem = CodeProblem("ab", "", [TestCase("1 2\n", "3\n")], checker=checker)
    assert judge_code(problem, "a, b = map(int, input().split())\nprint(a + b)", "python").reason == "correct"
    built = list(tmp_path.glob("jury/*"))
    assert [p.name for p in built] == [jury.build_key(checker)]
    stamp = built[0].stat().st_mtime_ns
    start = time.monotonic()
    assert judge_code(problem, "print(4)", "python").reason == "wrong_answer"
    assert time.monotonic() - start < 3 and built[0].stat().st_mtime_ns == stamp  # from the cache: no g++ run
    assert jury.build_key(checker + " ") != jury.build_key(checker)  # any change to the source rebuilds
    monkeypatch.setenv("R1_EVALS_TESTLIB", str(tmp_path / "nowhere"))
    with pytest.raises(jury.JuryError, match="holds no testlib.h"):
        jury.build_key(checker)
