"""The judge end to end in the real sandbox: verdicts, functional calls, checkers, CLI, verifier.

Hostile programs live in the red-team suite (tests/test_redteam.py); these are the semantics.
"""
import json
import os
import subprocess
import sys
import threading
import time

import pytest

from evals.judge.judging import BOX_MEMORY_MB, judge_code, judge_completion, judge_many
from evals.judge.problems import CodeProblem, TestCase
from evals.judge.sandbox import Box, check_layers, write_new

pytestmark = [
    pytest.mark.skipif(not check_layers().ok, reason="sandbox layers missing: " + "; ".join(check_layers().problems)),
    pytest.mark.timeout(300),
]

AB = CodeProblem("a-plus-b", "", [TestCase(f"{i} {i * 7}\n", f"{i * 8}\n") for i in range(1, 6)],
                 time_limit_s=2.0, memory_mb=128)
PY_AB = "a, b = map(int, input().split())\nprint(a + b)\n"
PY_TOUCH = ("a, b = map(int, input().split())\nx = bytearray({mb} << 20)\nx[::4096] = b'1' * len(x[::4096])\n"
            "print(a + b)\n")
CPP_TOUCH = ("#include <cstdio>\n#include <cstdlib>\nint main(){ long long a, b; scanf(\"%lld %lld\", &a, &b);"
             " size_t n = (size_t)MB << 20; volatile char *p = (volatile char *)malloc(n);"
             " for (size_t i = 0; i < n; i += 4096) p[i] = 1; printf(\"%lld\\n\", a + b + p[0] - 1); }\n")
CPP_AB = "#include <iostream>\nint main(){long long a,b;std::cin>>a>>b;std::cout<<a+b<<'\\n';}\n"


@pytest.mark.parametrize("language,code,reason", [
    ("python", PY_AB, "correct"),
    ("python", "import sys\nfor line in sys.stdin: a, b = map(int, line.split()); print(a + b)", "correct"),
    ("python", "a, b = map(int, input().split())\nprint(a - b)", "wrong_answer"),
    ("python", "print(3\n", "compile_error"),
    ("python", "raise ValueError('boom')", "runtime_error"),
    ("python", "import sys\nsys.exit(3)", "runtime_error"),
    ("python", "while True:\n    pass", "time_limit"),
    ("python", "x = bytearray(400 * 2**20)\nx[::4096] = b'1' * len(x[::4096])", "memory_limit"),
    ("python", "import sys\nsys.stdout.write('9' * (40 << 20))", "output_limit"),
    ("cpp", CPP_AB, "correct"),
    ("cpp", "int main(){ return 0 }", "compile_error"),
    ("cpp", "#include <cstdlib>\nint main(){ abort(); }", "runtime_error"),
    ("cpp", "#include <vector>\nint main(){ std::vector<char> v(400<<20, 1); return v[12345] - 1; }", "memory_limit"),
    # the stated limit (128 MB) is the program's, exactly: no headroom above it, none taken from it
    ("python", PY_TOUCH.format(mb=140), "memory_limit"),
    ("python", PY_TOUCH.format(mb=100), "correct"),
    ("cpp", CPP_TOUCH.replace("MB", "140"), "memory_limit"),
    ("cpp", CPP_TOUCH.replace("MB", "110"), "correct"),
    # what a program says or does to itself below every limit is a runtime error, not a limit
    ("python", "import sys\nprint('MemoryError\\nstd::bad_alloc', file=sys.stderr)\nsys.exit(1)", "runtime_error"),
    ("python", "raise MemoryError", "runtime_error"),
    ("python", "import os, signal\nos.kill(os.getpid(), signal.SIGXCPU)", "runtime_error"),
    ("python", "import os, signal\nsignal.signal(signal.SIGXFSZ, signal.SIG_DFL)\nos.kill(os.getpid(), signal.SIGXFSZ)",
     "runtime_error"),
    ("cpp", "#include <csignal>\nint main(){ raise(SIGXCPU); }", "runtime_error"),
    ("cpp", "#include <csignal>\nint main(){ raise(SIGXFSZ); }", "runtime_error"),
    ("cpp", "#include <new>\nint main(){ throw std::bad_alloc(); }", "runtime_error"),
    # print(float(a) + float(b)): right for small numbers, not an integer answer
    ("python", "a, b = map(float, input().split())\nprint(a + b)", "wrong_answer"),
])
def test_verdicts(language, code, reason):
    result = judge_code(AB, code, language)
    assert result.reason == reason, result.to_dict()
    assert (result.passed == len(AB.tests)) == (reason == "correct")


def test_per_test_figures_and_stop_at_first_failure():
    code = "a, b = map(int, input().split())\nprint(a + b if a != 3 else 0)"
    first = judge_code(AB, code, "python")
    assert [t.reason for t in first.tests] == ["correct", "correct", "wrong_answer"]
    assert first.tests[2].detail.startswith("line 1: expected '24' got '0'")
    every = judge_code(AB, code, "python", stop_at_first_failure=False)
    assert [t.reason for t in every.tests] == ["correct"] * 2 + ["wrong_answer"] + ["correct"] * 2
    assert all(t.time_s > 0 and t.memory_mb > 0 for t in every.tests)


def test_all_tests_mode_goes_on_in_a_new_box_when_the_harness_dies():
    # The harness is killed from outside during test 3 (as the OOM killer does to a fork bomb's box):
    # that test is lost, the remaining ones still run, in a fresh box, and none is called correct unseen.
    code = "import time\na, b = map(int, input().split())\nif a == 3: time.sleep(4)\nprint(a + b)\n"
    with Box(memory_mb=BOX_MEMORY_MB) as box:
        def kill_when_test_3_runs():
            while box.runs < 3:
                time.sleep(0.02)
            time.sleep(0.5)
            box.proc.kill()

        killer = threading.Thread(target=kill_when_test_3_runs, daemon=True)
        killer.start()
        result = judge_code(AB, code, "python", stop_at_first_failure=False, box=box)
        killer.join(10)
    got = [t.reason for t in result.tests]
    assert got == ["correct", "correct", "runtime_error", "correct", "correct"], result.to_dict()
    assert "harness stopped" in result.tests[2].detail
    assert result.reason == "runtime_error"


def test_runtime_error_keeps_the_traceback_and_signal():
    result = judge_code(AB, "def f(n): return f(n + 1)\nf(0)", "python")
    assert result.reason == "runtime_error" and "RecursionError" in result.tests[0].detail
    segv = judge_code(AB, "int main(){ volatile int *p = 0; return *p; }", "cpp")
    assert segv.reason == "runtime_error" and segv.tests[0].signal == 11


def test_deep_recursion_in_cpp_gets_a_stack_as_large_as_memory():
    code = ("#include <iostream>\nint d(int n){ volatile char pad[64]; pad[0]=1; return n ? d(n-1) + pad[0] : 0; }\n"
            "int main(){ long long a,b; std::cin>>a>>b; std::cout << a + b + d(1000000) - 1000000 << '\\n'; }")
    assert judge_code(AB, code, "cpp").reason == "correct"


def test_threads_and_late_output_are_waited_for():
    code = ("import threading, sys\nthreading.stack_size(64 << 20)\nsys.setrecursionlimit(10**6)\n"
            "def main():\n    a, b = map(int, input().split())\n    print(a + b)\n"
            "threading.Thread(target=main).start()\n")
    assert judge_code(AB, code, "python").reason == "correct"


FUNC = CodeProblem("two-sum", "", [TestCase("[2, 7, 11, 15]\n9", "[0, 1]"), TestCase("[3, 2, 4]\n6", "[1, 2]")],
                   kind="functional", func_name="twoSum")


@pytest.mark.parametrize("code,reason", [
    ("class Solution:\n    def twoSum(self, nums, target):\n        seen = {}\n"
     "        for i, x in enumerate(nums):\n            if target - x in seen: return [seen[target - x], i]\n"
     "            seen[x] = i\n", "correct"),
    ("class Solution:\n    def twoSum(self, nums, target):\n        print('debug output is ignored')\n"
     "        return (0, 1) if nums[0] == 2 else (1, 2)\n", "correct"),
    ("class Solution:\n    def twoSum(self, nums, target):\n        return [0, 0]\n", "wrong_answer"),
    ("class Liar(list):\n    def __eq__(self, other): return True\n"
     "class Solution:\n    def twoSum(self, nums, target):\n        return Liar([9, 9])\n", "wrong_answer"),
    ("class Solution:\n    def twoSum(self, nums, target):\n        return {0, 1}\n", "runtime_error"),
    ("def twoSum(nums, target):\n    return [0, 1]\n", "runtime_error"),
    ("class Solution:\n    def twoSum(self, nums, target):\n        return [0.0, 1.0] if nums[0] == 2 else [1.0, 2.0]\n",
     "wrong_answer"),  # integer answers need integers, as with stdin
])
def test_functional_problems(code, reason):
    assert judge_code(FUNC, code, "python").reason == reason


def _reply(exit_code=0, signal=None, **extra):
    return {"exit_code": exit_code, "signal": signal, "wall_s": 0.01, "timed_out": False, **extra}


@pytest.mark.parametrize("reply,cpu,over_memory,sizes,stderr,status", [
    (_reply(), 0.01, False, (3, 0, 0), "", "ok"),
    # what the program says or does to itself decides nothing
    (_reply(1), 0.01, False, (0, 60, 0), "MemoryError\nstd::bad_alloc", "runtime_error"),
    (_reply(None, 6), 0.01, False, (0, 60, 0), "terminate called after throwing 'std::bad_alloc'", "runtime_error"),
    (_reply(None, 24), 0.0, False, (0, 0, 0), "", "runtime_error"),  # SIGXCPU at 0 s CPU
    (_reply(None, 25), 0.0, False, (10, 0, 0), "", "runtime_error"),  # SIGXFSZ with 10 bytes written
    (_reply(None, 9), 0.0, False, (0, 0, 0), "", "runtime_error"),  # SIGKILL, no OOM kill counted
    # what was measured does
    (_reply(None, 9), 0.2, True, (0, 0, 0), "", "memory_limit"),  # an OOM kill, or a peak over the limit
    (_reply(1), 0.2, True, (0, 0, 0), "MemoryError", "memory_limit"),
    (_reply(None, 24), 1.3, False, (0, 0, 0), "", "time_limit"),  # SIGXCPU with the CPU time spent
    (_reply(None, 9, timed_out=True), 0.0, False, (0, 0, 0), "", "time_limit"),  # the wall watchdog
    (_reply(0), 1.01, False, (3, 0, 0), "", "time_limit"),  # finished, but over the CPU limit
    (_reply(None, 25), 0.1, False, (1000, 0, 0), "", "output_limit"),  # SIGXFSZ at the limit
    (_reply(1), 0.1, False, (0, 1000, 0), "", "output_limit"),  # stderr at the limit
    (_reply(0), 0.1, False, (0, 0, 1000), "", "output_limit"),  # a functional result at the limit
    (_reply(0), 0.1, False, (999, 999, 999), "", "ok"),
])
def test_verdicts_come_from_measurements(tmp_path, reply, cpu, over_memory, sizes, stderr, status):
    from evals.judge.sandbox import Limits, _classify

    paths = [tmp_path / name for name in ("out", "err", "res")]
    for path, size in zip(paths, sizes):
        path.write_bytes(b"x" * size)
    if stderr:
        paths[1].write_text(stderr)
    limits = Limits(cpu_s=1.0, wall_s=3.0, memory_mb=64, output_bytes=1000)
    assert _classify(reply, cpu, 1.0, over_memory, limits, *paths).status == status


FLOAT = CodeProblem("third", "", [TestCase("1\n", "0.333333333\n")], checker="rcmp6")
YESNO = CodeProblem("even", "", [TestCase("4\n", "YES\n"), TestCase("3\n", "NO\n")], checker="yesno")


def test_stock_checkers():
    assert judge_code(FLOAT, "print(1/3 + 1e-7)", "python").reason == "correct"
    assert judge_code(FLOAT, "print(1/3 + 1e-5)", "python").reason == "wrong_answer"
    assert judge_code(YESNO, "print('yes' if int(input()) % 2 == 0 else 'no')", "python").reason == "correct"
    assert judge_code(YESNO, "print('YES')", "python").reason == "wrong_answer"


ANY_DIVISOR_CHECKER = """
import sys
n = int(open(sys.argv[1]).read())
out = open(sys.argv[2]).read().split()
if len(out) != 1 or not out[0].lstrip('-').isdigit():
    sys.exit(2)
d = int(out[0])
sys.exit(0 if 1 < d < n and n % d == 0 else 1)
"""
CPP_CHECKER = """#include <fstream>
int main(int argc, char** argv){ std::ifstream in(argv[1]), out(argv[2]); long long n, d;
  in >> n; if (!(out >> d)) return 2; return (d > 1 && d < n && n % d == 0) ? 0 : 1; }"""


@pytest.mark.parametrize("checker", [ANY_DIVISOR_CHECKER, CPP_CHECKER])
def test_program_checkers_accept_any_valid_answer(checker):
    problem = CodeProblem("divisor", "", [TestCase("12\n", "2\n"), TestCase("35\n", "5\n")], checker=checker)
    largest = "n = int(input())\nprint(max(d for d in range(2, n) if n % d == 0))"
    assert judge_code(problem, largest, "python").reason == "correct"
    assert judge_code(problem, "print(1)", "python").reason == "wrong_answer"
    assert judge_code(problem, "print('x')", "python").reason == "wrong_format"


def test_a_broken_checker_is_a_judge_error_never_a_wrong_answer():
    crashing = CodeProblem("c", "", [TestCase("1\n", "1\n")], checker="import sys\nsys.exit(3)")
    assert judge_code(crashing, "print(1)", "python").reason == "judge_error"
    hanging = CodeProblem("h", "", [TestCase("1\n", "1\n")], checker="while True: pass")
    assert judge_code(hanging, "print(1)", "python").reason == "judge_error"
    bad = CodeProblem("b", "", [TestCase("1\n", "1\n")], checker="#include <testlib.h>\nint main(){ oops }")
    result = judge_code(bad, "print(1)", "python")
    assert result.reason == "judge_error" and "does not compile" in result.error and not result.tests


def test_completion_extraction_and_no_code():
    completion = f"<think>\n```python\nprint(0)\n```\n</think>\nHere it is:\n```python\n{PY_AB}```\n"
    assert judge_completion(AB, completion, "python").reason == "correct"
    assert judge_completion(AB, "<think>hmm</think> I cannot solve it.", "python").reason == "no_code"


def test_judge_many_keeps_order():
    jobs = [(AB, PY_AB, "python"), (AB, "print(0)", "python"), (AB, CPP_AB, "cpp"), (FUNC, "x = (", "python")]
    assert [r.reason for r in judge_many(jobs, workers=2)] == ["correct", "wrong_answer", "correct", "compile_error"]


def test_code_verifier_kind_through_the_pool(pool):
    completion = f"<think>easy</think>\n```python\n{PY_AB}```"
    verdict = pool.verify("code", completion, AB.to_dict(), language="python")
    assert verdict.correct and verdict.reason == "correct" and verdict.details["passed"] == len(AB.tests)
    assert "print(a + b)" in verdict.extracted
    truncated = pool.verify("code", "<think>still thinking", AB.to_dict(), language="python", finish_reason="length")
    assert truncated.reason == "truncated"


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "evals", "judge", *args], capture_output=True, text=True, timeout=120)


def test_cli(tmp_path):
    problem = tmp_path / "p.json"
    problem.write_text(json.dumps(AB.to_dict()))
    (tmp_path / "ok.cpp").write_text(CPP_AB)
    (tmp_path / "wa.py").write_text("print(0)")
    ok = _cli(str(problem), str(tmp_path / "ok.cpp"))
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["reason"] == "correct" and json.loads(ok.stdout)["language"] == "cpp"
    wa = _cli(str(problem), str(tmp_path / "wa.py"), "--all-tests")
    assert wa.returncode == 1 and len(json.loads(wa.stdout)["tests"]) == len(AB.tests)
    (tmp_path / "bad.json").write_text('{"id": "x", "tests": [], "time_limit": 1}')
    bad = _cli(str(tmp_path / "bad.json"), str(tmp_path / "wa.py"))
    assert bad.returncode == 2 and "bad.json" in bad.stderr and "unknown fields ['time_limit']" in bad.stderr
    check = _cli("--check")
    assert check.returncode == 0 and json.loads(check.stdout)["ok"] is True


def test_test_inputs_are_written_as_new_files_never_rewritten_in_place(tmp_path):
    # rewriting a file that holds data (O_TRUNC) makes ext4 flush it on close: milliseconds a test
    path = tmp_path / "test.in"
    path.write_bytes(b"1 2\n" * 1000)
    old = os.open(path, os.O_RDONLY)
    try:
        write_new(path, b"5 7\n")
        assert path.read_bytes() == b"5 7\n"
        assert os.fstat(old).st_nlink == 0 and os.pread(old, 4, 0) == b"1 2\n"  # the old file was left whole
    finally:
        os.close(old)
    write_new(tmp_path / "fresh.in", b"x")  # no file there yet
    assert (tmp_path / "fresh.in").read_bytes() == b"x"
