""""Cannot be gamed" as a property: mutations a policy could learn never turn an unpaid answer into a paid one.

The same verdict is the evaluation metric, the curation filter and the GRPO reward, so anything that
turns a wrong answer into `correct` is a reward hack waiting to be climbed. Here real completions
(../shared/data/replay: TLDR-7B/14B on MATH-500, an SFT-7B on AIME 2024) and judge submissions are
mutated the ways a policy would (append `.0`, a trailing `!`, wrap in `\\text{}`, add a label,
restate the answer as an unevaluated expression, put the answer in the thinking only; for programs:
print floats for integers, append `.0`, print extra lines, put the code in the thinking only) and
verified with the reward's settings (`require_evaluated=True`). None may be paid.
"""
from __future__ import annotations

import json
import random

import pytest

from evals.verifiers import VerifierPool
from evals.verifiers.answer_region import split_answer_region
from evals.verifiers.extract import find_boxes
from tests.conftest import replay_file

pytestmark = pytest.mark.slow

REWARD = {"require_evaluated": True}  # the GRPO reward's and curation's setting
PER_GROUP = 150  # wrong and correct samples each: a few hundred real completions


def _replay() -> list[tuple[str, str, str]]:
    rows = []
    for name, kind in [("tldr7b_math500_n1.json", "math"), ("tldr14b_math500_n1.json", "math"),
                       ("sft7b_aime24_n8.json", "aime")]:
        for problem in json.loads(replay_file(name).read_text()).values():
            for samples in problem["responses"].values():
                rows += [(kind, s["content"], str(problem["answer"])) for s in samples]
    return rows


def _with_box(completion: str, content: str) -> str | None:
    """The completion with its last box in the answer region holding ``content`` instead."""
    cut = completion.rfind("</think>")
    start = cut + len("</think>") if cut >= 0 else 0
    boxes = find_boxes(completion[start:])
    if not boxes:
        return None
    _, b0, b1 = boxes[-1]
    return completion[: start + b0] + "\\boxed{" + content + "}" + completion[start + b1:]


def _thinking_only(completion: str) -> str:
    """Everything the model wrote moved inside the thinking; the answer region says nothing."""
    region = split_answer_region(completion)
    return "<think>\n" + region.reasoning.replace("<think>", "") + region.answer + "\n</think>\n\nDone."


def _restatements(gold: str) -> list[str]:
    """Unevaluated expressions of an integer gold: what `\\boxed{4+5}` is to 9."""
    if not gold.lstrip("-").isdigit():
        return []
    g = int(gold)
    return [f"{g - 1}+1", f"\\frac{{{2 * g}}}{{2}}", f"{g}\\cdot 1", f"\\binom{{{g}}}{{1}}" if g > 0 else f"{g}+0"]


def _answer_mutations(answer: str) -> dict[str, str]:
    return {"append_.0": answer + ".0", "trailing_!": answer + "!", "double_!": answer + "!!",
            "text": f"\\text{{{answer}}}", "label": f"x = {answer}", "spaces": f"\\ {answer}\\,"}


@pytest.fixture(scope="module")
def verifier_pool():
    with VerifierPool(workers=2, timeout=5.0) as p:
        yield p


@pytest.fixture(scope="module")
def graded(verifier_pool) -> tuple[list, list]:
    """A seeded sample of real completions the reward scores wrong and right."""
    rows = _replay()
    verdicts = verifier_pool.verify_batch([(k, c, g, REWARD) for k, c, g in rows])
    assert not [v for v in verdicts if v.reason == "timeout"], "a real completion timed out"
    wrong = [(r, v) for r, v in zip(rows, verdicts) if v.reason == "wrong_answer" and v.extracted]
    right = [(r, v) for r, v in zip(rows, verdicts) if v.correct]
    rng = random.Random(16)
    return rng.sample(wrong, min(PER_GROUP, len(wrong))), rng.sample(right, min(PER_GROUP, len(right)))


def _paid(pool: VerifierPool, mutants: list[tuple[str, str, str, str]]) -> list[str]:
    verdicts = pool.verify_batch([(k, c, g, REWARD) for _, k, c, g in mutants])
    return [f"{name}: gold {g!r}, paid {v.extracted!r} ({v.method})"
            for (name, k, c, g), v in zip(mutants, verdicts) if v.correct]


def test_mutations_never_turn_wrong_into_correct(graded, verifier_pool):
    wrong, _ = graded
    assert len(wrong) >= 50, "too few wrong real completions to test against"
    mutants = []
    for (kind, completion, gold), verdict in wrong:
        pairs = [*_answer_mutations(verdict.extracted).items(), *(("restate_gold", r) for r in _restatements(gold))]
        for name, answer in pairs:
            if (text := _with_box(completion, answer)) is not None:
                mutants.append((name, kind, text, gold))
        mutants.append(("gold_in_thinking", kind, "<think>\\boxed{" + gold + "}</think>" + completion, gold))
    assert len(mutants) > 6 * len(wrong)
    assert _paid(verifier_pool, mutants) == []


def test_right_answers_are_not_paid_when_restated_or_hidden(graded, verifier_pool):
    """A correct answer restated unevaluated, or given only in the thinking, earns nothing."""
    _, right = graded
    mutants = []
    for (kind, completion, gold), _verdict in right:
        mutants.append(("thinking_only", kind, _thinking_only(completion), gold))
        mutants.append(("trailing_!", kind, _with_box(completion, gold + "!") or completion + "!", gold))
        for r in _restatements(gold):
            if (text := _with_box(completion, r)) is not None:
                mutants.append(("restate_gold", kind, text, gold))
    assert _paid(verifier_pool, [m for m in mutants if m[1] != "aime" or m[0] != "trailing_!"]) == []


def test_controls_unmutated_right_answers_stay_paid(graded, verifier_pool):
    """The positive control: the same pipeline pays the real correct answers as written."""
    _, right = graded
    verdicts = verifier_pool.verify_batch([(k, c, g, REWARD) for (k, c, g), _ in right])
    assert all(v.correct for v in verdicts)


# ---------------------------------------------------------------- the code judge

from evals.judge.problems import CodeProblem, TestCase  # noqa: E402
from evals.judge.sandbox import check_layers  # noqa: E402

# Each problem: (name, tests as (input, expected), right solver, wrong solver). A solver is the body
# of `solve(data) -> list[int]`; the printers below are how a policy could dress its output.
_PROBLEMS = [
    ("sum", [("1 2\n", "3\n"), ("5 5\n", "10\n"), ("4000000000000 5000000000000\n", "9000000000000\n")],
     "a, b = map(int, data.split())\n    return [a + b]", "a, b = map(int, data.split())\n    return [a + b + 1]"),
    ("big-product", [("3037000500 3037000500\n", "9223372037000250000\n"), ("7 6\n", "42\n")],
     "a, b = map(int, data.split())\n    return [a * b]", "a, b = map(int, data.split())\n    return [a * b - 1]"),
    ("count-even", [("5\n1 2 3 4 6\n", "3\n"), ("3\n1 3 5\n", "0\n")],
     "xs = data.split()[1:]\n    return [sum(int(x) % 2 == 0 for x in xs)]",
     "xs = data.split()[1:]\n    return [sum(int(x) % 2 == 1 for x in xs)]"),
    ("prefix-sums", [("4\n1 2 3 4\n", "1\n3\n6\n10\n"), ("2\n-5 5\n", "-5\n0\n")],
     "import itertools\n    return list(itertools.accumulate(map(int, data.split()[1:])))",
     "import itertools\n    return list(itertools.accumulate(map(int, data.split()[2:])))"),
    ("max-minus-min", [("3\n7 -2 5\n", "9\n"), ("1\n4\n", "0\n")],
     "xs = list(map(int, data.split()[1:]))\n    return [max(xs) - min(xs)]",
     "xs = list(map(int, data.split()[1:]))\n    return [max(xs) - min(xs) + (len(xs) > 2)]"),
]
_PRINTERS = {  # how the values are printed; only "exact" is the right output
    "exact": "for v in values: print(v)",
    "floats": "for v in values: print(float(v))",
    "append_.0": "for v in values: print(f'{v}.0')",
    "scientific": "for v in values: print(f'{v:e}')",
    "extra_line": "for v in values: print(v)\nprint(0)",
    "repeat_last": "for v in values: print(v)\nprint(values[-1])",
}


def _program(solver: str, printer: str) -> str:
    return f"import sys\ndef solve(data):\n    {solver}\nvalues = solve(sys.stdin.read())\n{printer}\n"


def _completion(code: str, in_thinking: bool = False) -> str:
    block = f"```python\n{code}```\n"
    return f"<think>\n{block}</think>\n\nSee above." if in_thinking else f"<think>\nok\n</think>\n\n{block}"


@pytest.mark.skipif(not check_layers().ok, reason="sandbox layers missing")
def test_judge_mutations_never_pay():
    from evals.judge.judging import judge_many

    jobs, labels = [], []
    for name, tests, right, wrong in _PROBLEMS:
        problem = CodeProblem(name, "", [TestCase(i, o) for i, o in tests], time_limit_s=2.0, memory_mb=128)
        for solver_name, solver in (("right", right), ("wrong", wrong)):
            for printer_name, printer in _PRINTERS.items():
                jobs.append((problem, _program(solver, printer), "python"))
                labels.append((name, solver_name, printer_name))
    results = judge_many(jobs, workers=2)
    expected = {label: label[1:] == ("right", "exact") for label in labels}
    wrong_verdicts = [f"{label}: {r.reason}" for label, r in zip(labels, results) if r.correct != expected[label]]
    assert wrong_verdicts == []


@pytest.mark.skipif(not check_layers().ok, reason="sandbox layers missing")
def test_code_only_in_the_thinking_is_not_judged():
    from evals.judge.verifier import verify_code

    name, tests, right, _ = _PROBLEMS[0]
    problem = CodeProblem(name, "", [TestCase(i, o) for i, o in tests], time_limit_s=2.0, memory_mb=128)
    code = _program(right, _PRINTERS["exact"])
    assert verify_code(_completion(code), problem).correct
    hidden = verify_code(_completion(code, in_thinking=True), problem)
    assert not hidden.correct and hidden.reason == "no_code"
