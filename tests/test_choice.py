"""Multiple-choice verifier: letter extraction, verdicts, and seeded shuffling.

Every item here is synthetic (GPQA text is gated and never stored). Completions
imitate R1: a long thinking block that wavers between options, `</think>`, a
summary, then the final decision.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter

import pytest

from evals.verifiers.choice import (
    INSTRUCTION,
    LETTERS,
    ChoiceExtraction,
    extract_choice,
    format_choice_prompt,
    shuffle_options,
    verify_choice,
)

# The thinking names other letters on purpose, boxed and in phrases: none of it
# may ever be read as the answer.
THINK = (
    "<think>\nOkay, so the question asks which configuration gives the lowest energy. "
    "Maybe A, since the field couples to the spin... Wait, no. If I had to commit now: "
    "\\boxed{B}. Hmm, then again the answer is D? Let me redo the units. 答案是A？\n"
    + "Recomputing the overlap integral term by term. " * 40
    + "\nOkay, I'm fairly confident now.\n</think>\n\n"
)
SUMMARY = (
    "To find the transition energy, use $E = hc/\\lambda$ with the given wavelength, "
    "which gives about 3.2 eV. The other options miss a factor of two.\n\n"
)


def r1(final: str, *, summary: str = SUMMARY) -> str:
    """A realistic R1 completion whose answer region ends with `final`."""
    return THINK + summary + final


# (id, answer-region ending, gold, reason, normalized letter, method)
CASES = [
    # boxes
    ("box", "\\boxed{C}", "C", "correct", "C", "choice_boxed"),
    ("box_in_dollars", "**Final Answer**\n\n$\\boxed{C}$", "C", "correct", "C", "choice_boxed"),
    ("box_text", "\\boxed{\\text{C}}", "C", "correct", "C", "choice_boxed"),
    ("box_textbf", "\\boxed{\\textbf{C}}", "C", "correct", "C", "choice_boxed"),
    ("box_mathrm", "$\\boxed{\\mathrm{C}}$", "C", "correct", "C", "choice_boxed"),
    ("box_paren", "\\boxed{(C)}", "C", "correct", "C", "choice_boxed"),
    ("box_paren_value", "\\boxed{(C) 42}", "C", "correct", "C", "choice_boxed"),
    ("box_letter_paren_value", "\\boxed{C) 3.2 eV}", "C", "correct", "C", "choice_boxed"),
    ("box_text_value", "\\boxed{\\text{(C) } 3.2\\,\\text{eV}}", "C", "correct", "C",
     "choice_boxed"),
    ("box_lowercase", "\\boxed{c}", "C", "correct", "C", "choice_boxed"),
    ("box_option_word", "\\boxed{\\text{Option C}}", "C", "correct", "C", "choice_boxed"),
    ("box_wrong", "\\boxed{B}", "C", "wrong_answer", "B", "choice_boxed"),
    ("box_letter_a", "\\boxed{A}", "A", "correct", "A", "choice_boxed"),
    # anchored phrases
    ("answer_colon", "Answer: C", "C", "correct", "C", "choice_answer_phrase"),
    ("answer_bold", "**Answer: C**", "C", "correct", "C", "choice_answer_phrase"),
    ("answer_bold_label_paren", "**Answer:** (C)", "C", "correct", "C", "choice_answer_phrase"),
    ("answer_is", "The answer is C.", "C", "correct", "C", "choice_answer_phrase"),
    ("answer_is_wrong", "The answer is D.", "C", "wrong_answer", "D", "choice_answer_phrase"),
    ("correct_answer_option_lower", "The correct answer is option (c).", "C", "correct", "C",
     "choice_answer_phrase"),
    ("answer_bold_with_text", "The correct answer is **C) 3.2 eV**.", "C", "correct", "C",
     "choice_answer_phrase"),
    ("answer_label_next_line", "**Answer:**\n\n**C**", "C", "correct", "C", "choice_answer_phrase"),
    ("answer_is_a_because", "The answer is A because only A conserves parity.", "A", "correct",
     "A", "choice_answer_phrase"),
    ("answer_then_prose_letter", "The answer is C and a photon is emitted.", "C", "correct", "C",
     "choice_answer_phrase"),
    ("answer_then_distractor", "The answer is C, B is a distractor.", "C", "correct", "C",
     "choice_answer_phrase"),
    ("correct_option_is", "Hence the correct option is B.", "B", "correct", "B",
     "choice_answer_phrase"),
    # weak forms on the final line
    ("option_final_line", "Therefore, option C.", "C", "correct", "C", "choice_option_phrase"),
    ("option_is_correct", "So option C is correct.", "C", "correct", "C", "choice_decision"),
    ("paren_final_line", "This matches the listed value (C).", "C", "correct", "C", "choice_paren"),
    ("paren_alone", "**(C)**", "C", "correct", "C", "choice_paren"),
    ("letter_paren_line", "C) 3.2 eV", "C", "correct", "C", "choice_letter_paren"),
    ("letter_paren_bold", "**C) 3.2 eV**", "C", "correct", "C", "choice_letter_paren"),
    ("bare_letter", "**C**", "C", "correct", "C", "choice_bare"),
    ("bare_letter_period", "C.", "C", "correct", "C", "choice_bare"),
    ("options_recap_is_not_a_decision", "A) 1 eV, too small\nB) 2 eV, no\nC) 3.2 eV, fits\nD) 6 eV",
     "C", "no_answer", None, None),
    ("paren_recap_is_not_a_decision", "- (A) too small\n- (B) too large\n- **(C)** fits", "C",
     "no_answer", None, None),
    ("recap_then_answer", "A) 1 eV, too small\nB) 2 eV, no\n\nAnswer: B", "B", "correct", "B",
     "choice_answer_phrase"),
    # Chinese
    ("zh_answer_is", "因此，答案是 C。", "C", "correct", "C", "choice_chinese"),
    ("zh_answer_colon", "答案：C", "C", "correct", "C", "choice_chinese"),
    ("zh_correct_answer_fullwidth_paren", "正确答案为（C）", "C", "correct", "C", "choice_chinese"),
    ("zh_choose", "综上所述，选C。", "C", "correct", "C", "choice_chinese"),
    ("zh_option", "综上，选项 C 正确。", "C", "correct", "C", "choice_chinese"),
    ("zh_correct_option", "故正确选项为（C）", "C", "correct", "C", "choice_chinese"),
    ("zh_paren_after_text", "综上（C）", "C", "correct", "C", "choice_paren"),
    ("zh_fullwidth_letter", "答案是Ｃ", "C", "correct", "C", "choice_chinese"),
    # the last decision of the answer region wins
    ("last_phrase_wins", "At first the answer is B.\n\nRe-checking the sign: the answer is C.", "C",
     "correct", "C", "choice_answer_phrase"),
    ("last_box_wins", "\\boxed{B}\n\nWait, I dropped a factor of two.\n\n\\boxed{C}", "C",
     "correct", "C", "choice_boxed"),
    ("box_beats_later_phrase", "\\boxed{C}\n\nSome might argue the answer is B, but no.", "C",
     "correct", "C", "choice_boxed"),
    ("value_box_skipped", "\\boxed{C}\n\nThe energy is $\\boxed{3.2\\text{ eV}}$.", "C", "correct",
     "C", "choice_boxed"),
    ("phrase_beats_later_discussion",
     "Answer: C\n\nOption A ignores spin; option D double counts the degeneracy.", "C", "correct",
     "C", "choice_answer_phrase"),
    ("phrase_beats_earlier_weak", "Option D is tempting.\nThe answer is C.", "C", "correct", "C",
     "choice_answer_phrase"),
    # ambiguity is refused, never resolved
    ("amb_or", "The answer is B or C.", "C", "ambiguous", None, "choice_answer_phrase"),
    ("amb_box_comma", "\\boxed{B, C}", "C", "ambiguous", None, "choice_boxed"),
    ("amb_box_text_or", "\\boxed{B \\text{ or } C}", "C", "ambiguous", None, "choice_boxed"),
    ("amb_either", "The answer is either A or D.", "A", "ambiguous", None, "choice_answer_phrase"),
    ("amb_and", "The answer is A and C.", "A", "ambiguous", None, "choice_answer_phrase"),
    ("amb_parens", "**Answer:** (B) or (C)", "B", "ambiguous", None, "choice_answer_phrase"),
    ("amb_zh", "答案是B或C", "B", "ambiguous", None, "choice_chinese"),
    ("amb_zh_choose", "选B还是C，难以判断", "B", "ambiguous", None, "choice_chinese"),
    ("amb_options_final_line", "Options B and C are both plausible.", "B", "ambiguous", None,
     "choice_option_phrase"),
    ("amb_bare_line", "B or C", "B", "ambiguous", None, "choice_bare"),
    ("amb_last_box", "\\boxed{B}\n\nHmm, on reflection: \\boxed{B \\text{ or } D}", "B",
     "ambiguous", None, "choice_boxed"),
    # articles, pronouns and stray capitals are not choices
    ("article_a", "A reasonable guess is 3.2 eV.", "A", "no_answer", None, None),
    ("article_after_anchor", "Answer: A photon of 3.2 eV is emitted.", "A", "no_answer", None,
     None),
    ("article_lowercase", "The answer is a subtle one: it depends on the field.", "A", "no_answer",
     None, None),
    ("pronoun_i", "I think the result holds.", "A", "no_answer", None, None),
    ("stray_capitals", "Point B lies above point D, as for vitamin C.", "C", "no_answer", None,
     None),
    ("word_starting_with_letter", "The answer is Carbon.", "C", "no_answer", None, None),
    ("box_prose", "\\boxed{A photon}", "A", "no_answer", None, None),
    # no decision in the answer region, whatever the thinking said
    ("no_decision", "The energy is about 3.2 eV.", "B", "no_answer", None, None),
    ("value_box_only", "The energy is $\\boxed{3.2\\text{ eV}}$.", "C", "no_answer", None, None),
]


@pytest.mark.parametrize(
    "final, gold, reason, normalized, method", [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_verify_r1_completion(final, gold, reason, normalized, method):
    v = verify_choice(r1(final), gold)
    assert (v.reason, v.normalized, v.method) == (reason, normalized, method)
    assert v.correct is (reason == "correct")
    assert v.score == (1.0 if reason == "correct" else 0.0)
    if reason == "ambiguous":
        assert len(v.details["candidates"]) >= 2
        assert v.extracted  # the refused statement is kept for review


def test_reasoning_decision_is_never_read():
    # the thinking boxes B and says "the answer is D"; the answer region decides C
    v = verify_choice(r1("Answer: C"), "B")
    assert (v.reason, v.normalized) == ("wrong_answer", "C")
    # the same thinking with an answer region that decides nothing
    assert verify_choice(r1("I hope this helps."), "B").reason == "no_answer"


def test_completion_without_thinking_is_read_whole():
    v = verify_choice("The answer is C.", "C")
    assert v.correct and v.method == "choice_answer_phrase"


@pytest.mark.parametrize(
    "completion, kwargs",
    [
        (r1("\\boxed{C}"), {"finish_reason": "length"}),
        (r1("\\boxed{C}"), {"finish_reason": "max_tokens"}),
        ("<think>\nMaybe C... so \\boxed{C}. But let me recheck the", {}),
        ("Maybe C... so \\boxed{C}. But let me recheck the", {"think_prefilled": True}),
    ],
    ids=["finish_length", "finish_max_tokens", "think_never_closed", "prefilled_never_closed"],
)
def test_truncated(completion, kwargs):
    v = verify_choice(completion, "C", **kwargs)
    assert (v.correct, v.reason, v.extracted) == (False, "truncated", None)


@pytest.mark.parametrize(
    "final, n, gold, reason",
    [
        ("\\boxed{E}", 4, "A", "no_answer"),
        ("\\boxed{E}", 5, "E", "correct"),
        ("The answer is E.", 4, "A", "no_answer"),
        ("(E)", 4, "A", "no_answer"),
        ("\\boxed{I}", 4, "A", "no_answer"),
        ("\\boxed{I}", 10, "I", "correct"),
        ("Answer: I", 10, "I", "correct"),
        ("I think the answer is J.", 10, "J", "correct"),
        ("I believe the computation is right.", 10, "I", "no_answer"),
        ("\\boxed{C}", 2, "A", "no_answer"),
    ],
)
def test_n_options_limits_letters(final, n, gold, reason):
    assert verify_choice(r1(final), gold, n_options=n).reason == reason


def test_gold_is_case_insensitive():
    assert verify_choice(r1("\\boxed{C}"), " c ").correct


@pytest.mark.parametrize("gold, n", [("E", 4), ("AB", 4), ("", 4), ("1", 4), ("K", 10)])
def test_bad_gold_raises(gold, n):
    with pytest.raises(ValueError, match="gold"):
        verify_choice(r1("\\boxed{A}"), gold, n_options=n)


@pytest.mark.parametrize("n", [1, 11])
def test_bad_option_count_raises(n):
    with pytest.raises(ValueError, match="2 to 10 options"):
        extract_choice("\\boxed{A}", n)


def test_extraction_fields():
    assert extract_choice("Thus $\\boxed{\\text{(C) } 42}$.") == ChoiceExtraction(
        "C", ("C",), "boxed", "\\boxed{\\text{(C) } 42}"
    )
    assert extract_choice("The answer is B or C.") == ChoiceExtraction(
        None, ("B", "C"), "answer_phrase", "answer is B or C"
    )
    assert extract_choice("The answer is C or c or (C).").letter == "C"  # one letter, repeated
    assert extract_choice("No decision here.") is None
    assert extract_choice("") is None


@pytest.mark.parametrize(
    "region",
    [
        "x" * 1_000_000,
        " " * 1_000_000 + "x",
        "The photon energy is about 3.2 eV. " * 30_000,
        "answer is " * 100_000,
        "The answer is A, " * 60_000,
        "\\boxed{" * 150_000,
        "\\boxed{{" * 120_000,
        "\\boxed{" + "{}" * 500_000,
        "\\boxed{x}" * 110_000,
        "(" * 1_000_000,
        "(A)" * 330_000,
        "option " * 150_000,
        "A or " * 200_000,
        "答案是" * 330_000,
        "Maybe A or B, (C) answer: \n" * 40_000,
    ],
    ids=lambda r: repr(r[:12]),
)
@pytest.mark.timeout(60)
def test_megabyte_region_does_not_hang(region):
    # A quadratic scan of 1 MB is ~10^12 steps and would hit the timeout; a linear one takes well under a second.
    # Speed itself is measured by scripts/bench_verify.py, not asserted here.
    got = extract_choice(region)
    assert got is None or got.letter in "ABCD"


# ---- shuffling -------------------------------------------------------------

OPTIONS = ["right", "wrong one", "wrong two", "wrong three"]


def synthetic_question(i: int) -> str:
    return f"Synthetic item {i}: a particle of mass {i + 1} units in a well of width {2 * i + 3}."


def test_shuffle_is_deterministic():
    q = synthetic_question(7)
    first = shuffle_options(q, OPTIONS, 0)
    assert all(shuffle_options(q, OPTIONS, 0) == first for _ in range(5))
    assert sorted(first.permutation) == [0, 1, 2, 3]
    assert len(first.seed) == 64


def test_shuffle_is_stable_across_hash_seeds():
    q = synthetic_question(11)
    code = (
        "import json, sys; from evals.verifiers.choice import shuffle_options; "
        "s = shuffle_options(sys.argv[1], json.loads(sys.argv[2]), 0, salt='x'); "
        "print(json.dumps([list(s.permutation), s.gold_letter, s.seed]))"
    )
    local = shuffle_options(q, OPTIONS, 0, salt="x")
    for hash_seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run(
            [sys.executable, "-c", code, q, json.dumps(OPTIONS)],
            env=env, capture_output=True, text=True, check=True,
        ).stdout
        assert json.loads(out) == [list(local.permutation), local.gold_letter, local.seed]


@pytest.mark.parametrize("correct_index", [0, 1, 2, 3])
def test_gold_tracks_the_correct_option(correct_index):
    for i in range(30):
        s = shuffle_options(synthetic_question(i), OPTIONS, correct_index)
        shown = LETTERS.index(s.gold_letter)
        assert s.options[shown] == OPTIONS[correct_index]
        assert s.permutation[shown] == correct_index
        assert [OPTIONS[j] for j in s.permutation] == list(s.options)


def test_different_questions_spread_the_gold():
    shuffles = [shuffle_options(synthetic_question(i), OPTIONS, 0) for i in range(400)]
    golds = Counter(s.gold_letter for s in shuffles)
    assert set(golds) == set("ABCD")
    for letter in "ABCD":
        assert 0.15 <= golds[letter] / 400 <= 0.35, golds


def test_different_questions_and_salts_give_different_orders():
    perms = {shuffle_options(synthetic_question(i), OPTIONS, 0).permutation for i in range(60)}
    assert len(perms) >= 15  # of 24 possible orders
    q = synthetic_question(3)
    salted = {shuffle_options(q, OPTIONS, 0, salt=f"run{k}").permutation for k in range(20)}
    assert len(salted) > 1


def test_ten_options():
    opts = [f"value {k}" for k in range(10)]
    s = shuffle_options(synthetic_question(5), opts, 9)
    assert sorted(s.permutation) == list(range(10))
    assert s.options[LETTERS.index(s.gold_letter)] == "value 9"


@pytest.mark.parametrize(
    "options, correct_index, message",
    [
        (["only one"], 0, "2 to 10 options"),
        ([f"o{k}" for k in range(11)], 0, "2 to 10 options"),
        (OPTIONS, 4, "correct_index 4"),
        (OPTIONS, -1, "correct_index -1"),
    ],
)
def test_shuffle_validation(options, correct_index, message):
    with pytest.raises(ValueError, match=message):
        shuffle_options("Synthetic item", options, correct_index)


def test_format_prompt():
    prompt = format_choice_prompt("Which synthetic value is right?", ["1 eV", "2 eV", "3 eV"])
    assert prompt == (
        "Which synthetic value is right?\n\nA) 1 eV\nB) 2 eV\nC) 3 eV\n\n" + INSTRUCTION
    )
    assert INSTRUCTION == (
        "Please reason step by step, and put the letter of your final answer within \\boxed{}."
    )
    with pytest.raises(ValueError):
        format_choice_prompt("q", ["only"])


def test_shuffle_prompt_and_verify_round_trip():
    q = synthetic_question(42)
    s = shuffle_options(q, OPTIONS, 0)
    prompt = format_choice_prompt(q, s.options)
    assert f"{s.gold_letter}) right" in prompt
    assert verify_choice(r1(f"\\boxed{{{s.gold_letter}}}"), s.gold_letter).correct
