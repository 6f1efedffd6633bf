"""Real Codeforces problems judged through the real sandbox, with testlib checkers compiled by the jury
cache: known-correct solutions pass (also those a token compare would reject), known-wrong ones fail
for the reason the checker gives. One interactive problem, testlib's own A+B interactor with testlib's
ncmp as its checker (Polygon's interactor + checker: the checker judges the interactor's tout).
Problems, tests, checkers and the interactor: tests/fixtures/codeforces_real/ (its README has the
provenance of each)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.judge import jury
from evals.judge.judging import judge_code
from evals.judge.problems import CodeProblem, TestCase
from evals.judge.sandbox import check_layers

pytestmark = [pytest.mark.skipif(not check_layers().ok, reason="the code sandbox is unavailable here"),
              pytest.mark.slow]

FIXTURES = Path(__file__).parent / "fixtures" / "codeforces_real"


def load() -> dict[str, CodeProblem]:
    problems = {}
    for row in json.loads((FIXTURES / "problems.json").read_text()):
        tests = [TestCase(t["input"], t["output"]) for t in row["tests"]]
        interactor = (FIXTURES / row["interactor"]).read_text() if "interactor" in row else None
        problems[row["id"]] = CodeProblem(row["id"], row["statement"], tests, time_limit_s=row["time_limit_s"],
                                          memory_mb=max(row["memory_mb"], 256),
                                          checker=(FIXTURES / row["checker"]).read_text(),
                                          interactive=interactor is not None, interactor=interactor,
                                          metadata={"url": row["url"]})
    return problems


PROBLEMS = load()

CIRCUS = """import math
p = [tuple(map(float, input().split())) for _ in range(3)]
a, b, c = math.dist(p[0], p[1]), math.dist(p[1], p[2]), math.dist(p[0], p[2])
s = (a + b + c) / 2
area = math.sqrt(max(s * (s - a) * (s - b) * (s - c), 0.0))
R = a * b * c / (4 * area)
A = math.acos(max(-1.0, min(1.0, (b * b + c * c - a * a) / (2 * b * c))))
B = math.acos(max(-1.0, min(1.0, (a * a + c * c - b * b) / (2 * a * c))))
def g(x, y):
    while abs(y) > 1e-4:
        x, y = y, math.fmod(x, y)
    return x
n = round(math.pi / g(g(A, B), math.pi - A - B))
print(FORMAT % (n / 2 * R * R * math.sin(2 * math.pi / n)))
"""
CIRCUS_TRIANGLE = """import math
p = [tuple(map(float, input().split())) for _ in range(3)]
print("%.8f" % (abs((p[1][0] - p[0][0]) * (p[2][1] - p[0][1]) - (p[2][0] - p[0][0]) * (p[1][1] - p[0][1])) / 2))
"""
WIFI = """from math import comb
s1, s2 = input(), input()
need = (s1.count('+') - s1.count('-')) - (s2.count('+') - s2.count('-'))
q = s2.count('?')
p = 0.0 if (q + need) % 2 or abs(need) > q else comb(q, (q + need) // 2) / 2 ** q
print(FORMAT % p)
"""
WATERMELON_CPP = """#include <cstdio>
int main() { int w; std::scanf("%d", &w); std::puts(w % 2 == 0 && w > 2 ? "yes" : "no"); }
"""
WATERMELON_PARITY = "w = int(input())\nprint('YES' if w % 2 == 0 else 'NO')\n"  # forgets w = 2
KING = """s, t = input(), input()
x, y, tx, ty = ord(s[0]), int(s[1]), ord(t[0]), int(t[1])
moves = []
while (x, y) != (tx, ty):
    m = ''
    if x != tx:
        m += 'R' if tx > x else 'L'; x += 1 if tx > x else -1
    if y != ty:
        m += 'U' if ty > y else 'D'; y += 1 if ty > y else -1
    moves.append(m)
print(len(moves), *moves, sep='\\n')
"""
KING_STRAIGHT_FIRST = """#include <iostream>
#include <string>
#include <vector>
#include <cstdlib>
int main() { std::string s, t; std::cin >> s >> t; int dx = t[0] - s[0], dy = t[1] - s[1];
  std::vector<std::string> m; while (std::abs(dx) > std::abs(dy)) { m.push_back(dx > 0 ? "R" : "L"); dx -= dx > 0 ? 1 : -1; }
  while (std::abs(dy) > std::abs(dx)) { m.push_back(dy > 0 ? "U" : "D"); dy -= dy > 0 ? 1 : -1; }
  while (dx) { m.push_back(std::string(dx > 0 ? "R" : "L") + (dy > 0 ? "U" : "D")); dx -= dx > 0 ? 1 : -1; dy -= dy > 0 ? 1 : -1; }
  std::cout << m.size() << "\\n"; for (auto& x : m) std::cout << x << "\\n"; }
"""
KING_NO_DIAGONALS = """s, t = input(), input()
dx, dy = ord(t[0]) - ord(s[0]), int(t[1]) - int(s[1])
moves = ['R' if dx > 0 else 'L'] * abs(dx) + ['U' if dy > 0 else 'D'] * abs(dy)
print(len(moves), *moves, sep='\\n')
"""
KING_WRONG_SQUARE = KING.replace("int(t[1])", "9 - int(t[1])")  # reads the target's rank upside down
# Interactive A+B: queries come until end of input; each answer flushed.
AB_TESTLIB = (FIXTURES / "solutions" / "interactive-a-plus-b.cpp").read_text()  # testlib's own reference solution
AB = """while True:
    try:
        a, b = map(int, input().split())
    except EOFError:
        break
    print(ANSWER, flush=True)
"""
AB_REPLAY = """#include <iostream>
int main() { const int said[] = {5, 6, 7}; int a, b, i = 0;  // testlib's files/unix/participant.01, replayed
  while (std::cin >> a >> b) std::cout << said[i++ % 3] << std::endl; }
"""
AB_ONE_ANSWER = "a, b = map(int, input().split())\nprint(a + b, flush=True)\n"  # then leaves
AB_NO_FLUSH = "import sys\nfor line in sys.stdin:\n    a, b = map(int, line.split())\n    print(a + b)\n"

# (problem, solution, language, reason, what the checker said of the first failing test, or None)
CASES = [
    ("1C", CIRCUS.replace("FORMAT", '"%.8f"'), "python", "correct", None),
    ("1C", CIRCUS.replace("FORMAT", '"%.15f"'), "python", "correct", None),  # more digits: rcmp6, not tokens
    ("1C", CIRCUS.replace("FORMAT", '"%.2f"'), "python", "wrong_answer", "numbers differ"),  # 2.60: too coarse
    ("1C", CIRCUS_TRIANGLE, "python", "wrong_answer", "numbers differ"),  # the triangle, not the polygon
    ("476B", WIFI.replace("FORMAT", '"%.12f"'), "python", "correct", None),
    ("476B", WIFI.replace("FORMAT % p", "p"), "python", "correct", None),  # 0.015625, 1.0: any exact spelling
    ("476B", WIFI.replace("FORMAT", "'%g'"), "python", "wrong_answer", "numbers differ"),  # 0.246094: 6 digits
    ("476B", WIFI.replace("FORMAT", '"%.3f"'), "python", "wrong_answer", "numbers differ"),  # 0.016 vs 1/64
    ("4A", WATERMELON_CPP, "cpp", "correct", None),  # lower case: yesno ignores case
    ("4A", WATERMELON_PARITY, "python", "wrong_answer", "expected NO, found YES"),
    ("3A", KING, "python", "correct", None),
    ("3A", KING_STRAIGHT_FIRST, "cpp", "correct", None),  # another shortest path than the jury's
    ("3A", KING_NO_DIAGONALS, "python", "wrong_answer", "shortest path has"),
    ("3A", KING_WRONG_SQUARE, "python", "wrong_answer", "the path ends on"),
    ("ab-interactive", AB_TESTLIB, "cpp", "correct", None),
    ("ab-interactive", AB.replace("ANSWER", "a + b"), "python", "correct", None),
    # the interactor accepts any integers (it only logs them to tout): ncmp, reading tout, rejects these
    ("ab-interactive", AB.replace("ANSWER", "a - b"), "python", "wrong_answer", "1st numbers differ - expected: '3', found: '-1'"),
    ("ab-interactive", AB_REPLAY, "cpp", "wrong_answer", "1st numbers differ - expected: '3', found: '5'"),
    ("ab-interactive", AB.replace("ANSWER", "'three'"), "python", "wrong_format", 'Expected integer, but "three" found'),  # the interactor's PE
    ("ab-interactive", AB_ONE_ANSWER, "python", "wrong_format", "Unexpected end of file"),
    ("ab-interactive", AB_NO_FLUSH, "python", "idleness_limit", "both waited"),
]


@pytest.fixture(scope="module", autouse=True)
def _own_cache(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("R1_EVALS_CACHE", str(tmp_path_factory.mktemp("jury-cache")))
        yield


@pytest.mark.parametrize("problem_id, code, language, reason, detail", CASES,
                         ids=[f"{c[0]}-{c[3]}-{i}" for i, c in enumerate(CASES)])
def test_real_problem_verdicts(problem_id, code, language, reason, detail):
    result = judge_code(PROBLEMS[problem_id], code, language, stop_at_first_failure=False)
    got = [(t.reason, t.detail) for t in result.tests]
    assert result.reason == reason, (result.error, got)
    if reason == "correct":
        assert result.passed == len(PROBLEMS[problem_id].tests)
    else:
        assert any(detail in d for r, d in got if r == reason), got


def test_a_token_compare_would_reject_what_the_checkers_accept():
    """Controls: the same accepted outputs fail testlib's wcmp (exact tokens), so the checkers decide."""
    wcmp = (FIXTURES / "checkers" / "wcmp.cpp").read_text()
    for problem_id, code, language in (("1C", CIRCUS.replace("FORMAT", '"%.15f"'), "python"),
                                       ("4A", WATERMELON_CPP, "cpp"), ("3A", KING_STRAIGHT_FIRST, "cpp")):
        problem = PROBLEMS[problem_id]
        token_compared = CodeProblem(problem.id, problem.statement, problem.tests, time_limit_s=problem.time_limit_s,
                                     memory_mb=problem.memory_mb, checker=wcmp)
        assert judge_code(token_compared, code, language).reason == "wrong_answer", problem_id


def test_each_checker_is_built_once_into_the_jury_cache():
    """After the verdict tests, every checker is in the cache; judging again reuses it, never rebuilds."""
    built = {}
    for row in json.loads((FIXTURES / "problems.json").read_text()):
        path = jury.cache_dir() / jury.build_key((FIXTURES / row["checker"]).read_text())
        assert path.is_file(), row["checker"]
        built[row["id"]] = (path, path.stat().st_mtime_ns)
    assert judge_code(PROBLEMS["4A"], WATERMELON_CPP, "cpp").reason == "correct"
    path, mtime = built["4A"]
    assert path.stat().st_mtime_ns == mtime


def test_interactive_checker_decides_over_the_interactor():
    """Control: without its checker, testlib's interactor accepts a wrong sum (it judges nothing itself,
    it logs to tout); with it, the same program fails. And tout is the interactor's log, not the
    program's stdout: the answers reach the checker only through the interactor."""
    problem = PROBLEMS["ab-interactive"]
    wrong = AB.replace("ANSWER", "a - b")
    interactor_only = CodeProblem(problem.id, problem.statement, problem.tests, time_limit_s=problem.time_limit_s,
                                  interactive=True, interactor=problem.interactor)
    assert judge_code(interactor_only, wrong, "python").reason == "correct"
    assert judge_code(problem, wrong, "python").reason == "wrong_answer"
    path = jury.cache_dir() / jury.build_key(problem.interactor)
    assert path.is_file()  # the interactor, like the checkers, was built once into the jury cache
