"""The multiple-choice reading policy (issue 16): one table per class, each with
positive controls (a decision that must be read) and negative controls (a near
miss that must not be), and the held-out style agreement table
tests/cases/choice_cases.jsonl. The policy is written in choice.py's docstring
and in tests/cases/README.md ("Multiple choice").
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.verifiers.choice import extract_choice, verify_choice
from tests.test_choice import r1

# (answer region ending, expected letter or None, n_options). None: no decision
# or an ambiguous one; the verdict is never correct.
CLASSES: dict[str, list[tuple[str, str | None, int]]] = {
    # several boxes of one statement are one statement: ambiguous when letters differ
    "boxes": [
        ("The answer is $\\boxed{B}$ or $\\boxed{C}$.", None, 4),
        ("$\\boxed{A}$ and $\\boxed{D}$", None, 4),
        ("Either $\\boxed{B}$ or $\\boxed{C}$, I cannot decide.", None, 4),
        ("\\boxed{B}\n\\boxed{D}", None, 4),
        ("The answer is $\\boxed{C}$, i.e. $\\boxed{\\text{C}}$.", "C", 4),
        ("First $\\boxed{B}$. Rechecking, the answer is $\\boxed{C}$.", "C", 4),
        ("$E=\\boxed{3.2\\text{ eV}}$, which is option $\\boxed{C}$.", "C", 4),
        ("The answer is $\\boxed{C}$, not $\\boxed{B}$.", "C", 4),
    ],
    # a negated letter never selects it
    "negation": [
        ("It is definitely not (C).", None, 4),
        ("The answer is not B.", None, 4),
        ("C is wrong", None, 4),
        ("not C", None, 4),
        ("Option C is not correct.", None, 4),
        ("So option B is incorrect.", None, 4),
        ("(A) and (B) can be ruled out.", None, 4),
        ("I wouldn't choose B.", None, 4),
        ("$\\boxed{B}$ is wrong.", None, 4),
        ("选项C不正确。", None, 4),
        ("The correct answer is not A but C.", None, 4),
        ("Option B is incorrect, so the answer is D.", "D", 4),
        ("The answer is C, and B is wrong.", "C", 4),
        ("The answer is (B), not (C).", "B", 4),
        ("Not (A); the energy matches (C).", "C", 4),
        ("C 不对，答案是 D。", "D", 4),
    ],
    # the last decision wins; a box is retracted only by a later box, and a later
    # phrase for another letter makes the region ambiguous
    "revision": [
        ("The answer is B. Hmm, or is it C? I'd say C.", "C", 4),
        ("$\\boxed{B}$\n\nActually, I'd go with C.", None, 4),
        ("\\boxed{C}\n\nB is the correct answer.", None, 4),
        ("$\\boxed{C}$\n\nSo I'd go with C.", "C", 4),
        ("$\\boxed{C}$\n\nSome might argue the answer is B, but the sign rules it out.", "C", 4),
        ("$\\boxed{B}$\n\nWait, I dropped a factor of two.\n\n$\\boxed{C}$", "C", 4),
        ("The answer is B. No wait, the factor of two: $\\boxed{D}$", "D", 4),
        ("Answer: C\n\nOr is the answer B?", "C", 4),
        ("The answer is C?", None, 4),
        ("I might go with B.", None, 4),
        ("It is tempting to choose B.", None, 4),
    ],
    # answer phrases in other languages; Arabic and Bengali letters for A-D
    "multilingual": [
        ("Respuesta: B", "B", 4), ("Réponse : D", "D", 4), ("Die richtige Antwort ist C.", "C", 4),
        ("정답: C", "C", 4), ("정답은 C입니다.", "C", 4), ("答え：B", "B", 4),
        ("正解はDです。", "D", 4), ("उत्तर: D", "D", 4), ("Ответ: B", "B", 4), ("Jibu: A", "A", 4),
        ("الإجابة: ب", "B", 4), ("الإجابة: B", "B", 4), ("উত্তর: অ", "A", 4),
        ("la respuesta correcta es (D)", "D", 4), ("la bonne réponse est C", "C", 4),
        ("a resposta correta é B", "B", 4), ("la risposta è A.", "A", 4), ("正确答案是B。", "B", 4),
        ("Odpowiedź: C", "C", 4), ("Antwoord: A", "A", 4), ("Cevap: D", "D", 4),
        ("Câu trả lời: B", "B", 4), ("Đáp án đúng là B", "B", 4), ("คำตอบ: C", "C", 4),
        ("Jawaban: D", "D", 4), ("Ìdáhùn: B", "B", 4), ("答え：Ｃ", "C", 4),
        ("La respuesta es B o C.", None, 4), ("Die Antwort ist B oder C.", None, 4),
        ("Antwort: A priori ist das unklar.", None, 4), ("Respuesta: A veces", None, 4),
        ("Ответ: Б", None, 4),  # Cyrillic: В is Latin B's glyph and the Russian third option
        ("الإجابة: هـ", None, 4),
    ],
    "emphasis": [
        ("***ANSWER***: ***B***", "B", 4), ("*ANSWER*: *B*", "B", 4), ("__Answer__: B", "B", 4),
        ("**Answer: D**", "D", 4), ("***ANSWER***: ***A photon***", None, 4),
    ],
    # a letter followed by Chinese or Japanese text
    "cjk_tail": [
        ("B。 不是 A", "B", 4), ("答案：B。因为光子能量约为 3.2 eV。", "B", 4),
        ("答案是C，因为其他选项都差了一个因子2。", "C", 4), ("答案不是C", None, 4),
    ],
    # filler words between the phrase and its letter
    "filler": [
        ("The answer is for sure D", "D", 4), ("The answer is therefore (D)", "D", 4),
        ("the correct option is clearly B", "B", 4), ("The answer is certainly C.", "C", 4),
        ("The answer is clearly a subtle one.", None, 4), ("The answer is so A photon", None, 4),
    ],
    # decisions without the word "answer" (letters up to J for MMLU-Pro)
    "decision": [
        ("I'll go with B.", "B", 4), ("I would choose F.", "F", 10),
        ("C is the correct answer.", "C", 4), ("My choice: E", "E", 10),
        ("Final choice: (B)", "B", 4), ("I pick A", "A", 4), ("Option D is correct.", "D", 4),
        ("Weighing everything, I'd say J.", "J", 10), ("A is the correct answer because it fits.", "A", 4),
        ("We must choose between B and C; B is correct because the sign flips.", "B", 4),
        ("I would choose F.", None, 4), ("Statement B is correct only for bosons.", None, 4),
        ("I'd say the energy is 3.2 eV.", None, 4), ("Choose wisely.", None, 4),
        ("B or C is correct.", None, 4), ("C is not the correct answer.", None, 4),
        ("I pick A photon.", None, 4),
        ("We choose C as the origin, so the field is uniform.", None, 4),
        ("I'd go with B as the final answer.", "B", 4),
    ],
    "elimination": [
        ("(A) and (B) can be ruled out by parity, leaving D.", "D", 4),
        ("Options A, B and D violate energy conservation, which leaves C.", "C", 4),
        ("Eliminating A and C leaves us with B.", "B", 4),
        ("Leaving aside spin, nothing changes.", None, 4), ("leaving A photon", None, 4),
    ],
    "tag": [
        ("<answer>C</answer>", "C", 4), ("<answer>A</answer>", "A", 4),
        ("<answer>A photon of 3.2 eV</answer>", None, 4), ("<answer>B or C</answer>", None, 4),
    ],
}


@pytest.mark.parametrize(
    "final, letter, n",
    [case for cases in CLASSES.values() for case in cases],
    ids=[f"{cls}-{i}" for cls, cases in CLASSES.items() for i in range(len(cases))],
)
def test_policy_class(final, letter, n):
    got = extract_choice(final, n)
    assert (got.letter if got else None) == letter
    for gold in {letter or "A", "B"}:
        v = verify_choice(r1(final), gold, n_options=n)  # the same reading under R1's thinking
        assert v.correct is (gold == letter)


def test_refusals_keep_the_candidates():
    v = verify_choice(r1("The answer is $\\boxed{B}$ or $\\boxed{C}$."), "C")
    assert (v.reason, v.details["candidates"]) == ("ambiguous", ["B", "C"])
    v = verify_choice(r1("$\\boxed{B}$\n\nActually, I'd go with C."), "C")
    assert (v.reason, v.details["candidates"], v.method) == ("ambiguous", ["B", "C"], "choice_boxed")
    assert verify_choice(r1("It is definitely not (C)."), "C").reason == "no_answer"


CASES = Path(__file__).parent / "cases" / "choice_cases.jsonl"
ROWS = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines() if line]


def test_agreement_table_is_realistic():
    assert len(ROWS) >= 80 and len({r["id"] for r in ROWS}) == len(ROWS)
    assert sum(r["letter"] is None for r in ROWS) >= 20  # refusals are half the point


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_agreement_table(row):
    got = extract_choice(row["region"], row["n_options"])
    assert (got.letter if got else None) == row["letter"]
