"""Answer region and final-answer extraction on their own."""
import time

import pytest

from evals.verifiers import split_answer_region
from evals.verifiers.extract import extract_answer


@pytest.mark.parametrize(
    "completion, finish_reason, prefilled, truncated, answer",
    [
        ("<think>a</think>b", None, False, False, "b"),
        ("<think>a</think>b</think>c", None, False, False, "c"),  # the last </think>
        ("<think>still thinking \\boxed{3}", None, False, True, ""),
        ("still thinking \\boxed{3}", None, True, True, ""),  # template opened <think>
        ("plain answer \\boxed{3}", None, False, False, "plain answer \\boxed{3}"),
        ("<think>a</think>\\boxed{3}", "length", False, True, "\\boxed{3}"),
        ("<think>a</think>\\boxed{3}", "stop", False, False, "\\boxed{3}"),
    ],
)
def test_split_answer_region(completion, finish_reason, prefilled, truncated, answer):
    region = split_answer_region(completion, finish_reason=finish_reason, think_prefilled=prefilled)
    assert region.truncated == truncated
    assert region.answer == answer


@pytest.mark.parametrize(
    "region, text, source",
    [
        ("so $\\boxed{\\frac{1}{2}}$.", "\\frac{1}{2}", "boxed"),
        ("\\fbox{7}", "7", "boxed"),
        ("thus \\boxed 5.", "5.", "boxed"),
        ("\\boxed{\\{1, 2\\}}", "\\{1, 2\\}", "boxed"),
        ("first \\boxed{4}. Correcting the sign, the answer is \\boxed{5}.", "5", "boxed"),
        ("The solutions are $\\boxed{2}$, $\\boxed{3}$ and $\\boxed{5}$.", "2, 3, 5", "boxed_list"),
        ("So $x=\\boxed{1}$ or $x=\\boxed{4}$.", "1, 4", "boxed_list"),
        ("The final answer is $\\frac{3}{4}$. I hope it is correct.", "\\frac{3}{4}", "phrase"),
        ("Answer: 7", "7", "phrase"),
        ("**Answer:** 3.5", "3.5", "phrase"),
        ("所以答案是 $12$。", "12", "phrase"),
        ("Thus we get\n\n**42**", "42", "bold"),
        ("I tried n = 42 and it failed.", None, None),
        ("", None, None),
    ],
)
def test_extract_answer(region, text, source):
    found = extract_answer(region)
    assert (found.text if found else None) == text
    assert (found.source if found else None) == source


def test_extraction_is_linear():
    """A megabyte of unclosed boxes must be one pass, not one pass per box."""
    region = "\\boxed{" * 150_000 + " \\boxed{9}"
    started = time.process_time()
    found = extract_answer(region)
    assert found is not None and found.text == "9"
    assert time.process_time() - started < 2.0
