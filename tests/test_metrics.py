import itertools
import math
import re
from fractions import Fraction

import pytest

from evals.metrics import (
    Estimate,
    bootstrap_ci,
    breakdown,
    cons_at_k,
    length_stats,
    majority_vote,
    mean_at_k,
    pass_at_k,
    pass_at_k_estimate,
    rate,
    vote_classes,
)


def canon(answer: str) -> Fraction:
    # \frac{a}{b} -> a/b, then Fraction reads "1/2", "0.5" and "3" alike
    return Fraction(re.sub(r"\\frac\{(-?\d+)\}\{(\d+)\}", r"\1/\2", answer))


def same(a: str, b: str) -> bool:
    return canon(a) == canon(b)


# ---- pass@k --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "n, c, k, expected",
    [
        (5, 2, 1, 0.4),  # pass@1 = c/n = 2/5
        (4, 2, 2, 5 / 6),  # 1 - C(2,2)/C(4,2) = 1 - 1/6
        (10, 3, 5, 1 - 21 / 252),  # 1 - C(7,5)/C(10,5) = 1 - 21/252 = 11/12
        (8, 0, 3, 0.0),  # no correct sample: C(8,3)/C(8,3) = 1
        (8, 8, 3, 1.0),  # all correct
        (8, 6, 3, 1.0),  # n - c = 2 < k = 3: every 3-subset holds a correct one
        (1, 1, 1, 1.0),
    ],
)
def test_pass_at_k_hand_values(n, c, k, expected):
    assert pass_at_k(n, c, k) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("n, k", [(1, 1), (5, 3), (16, 16), (100, 7)])
def test_pass_at_k_extremes(n, k):
    assert pass_at_k(n, 0, k) == 0.0
    assert pass_at_k(n, n, k) == 1.0


def test_pass_at_k_matches_brute_force_over_subsets():
    # pass@k = share of the C(n,k) k-subsets of the samples that hold at least one correct sample
    for n in range(1, 9):
        for c in range(n + 1):
            flags = [True] * c + [False] * (n - c)
            for k in range(1, n + 1):
                subsets = list(itertools.combinations(range(n), k))
                hits = sum(any(flags[i] for i in s) for s in subsets)
                assert pass_at_k(n, c, k) == pytest.approx(hits / len(subsets), abs=1e-12), (n, c, k)
                exact = 1 - Fraction(math.comb(n - c, k), math.comb(n, k))
                assert pass_at_k(n, c, k) == pytest.approx(float(exact), abs=1e-12)


def test_pass_at_k_large_n_is_finite():
    # C(10000, 100) overflows a float; the product form does not
    value = pass_at_k(10_000, 10, 100)
    assert 0.0 < value < 1.0
    assert math.isfinite(value)


@pytest.mark.parametrize("n, c, k", [(4, 2, 5), (4, 5, 1), (-1, 0, 1), (4, -1, 1), (4, 2, -1), (4, 2, 0), (0, 0, 1)])
def test_pass_at_k_rejects_bad_arguments(n, c, k):
    with pytest.raises(ValueError):
        pass_at_k(n, c, k)


def test_pass_at_k_error_message_names_the_problem():
    with pytest.raises(ValueError, match="k=5"):
        pass_at_k(4, 2, 5)


def test_pass_at_k_estimate():
    # problem 0: n=4, c=2, pass@2 = 1 - C(2,2)/C(4,2) = 5/6
    # problem 1: n=4, c=0 -> 0;  problem 2: n=5, c=1, pass@2 = 1 - C(4,2)/C(5,2) = 1 - 6/10 = 0.4
    est = pass_at_k_estimate([[1, 0, 1, 0], [0, 0, 0, 0], [0, 0, 0, 0, 1]], k=2)
    assert est.value == pytest.approx((5 / 6 + 0 + 0.4) / 3)
    assert est.n == 3
    assert est.low <= est.value <= est.high


def test_pass_at_k_estimate_k_1_is_mean():
    rows = [[True, False, True, True], [False] * 4, [True] * 4]
    assert pass_at_k_estimate(rows, k=1).value == pytest.approx(mean_at_k(rows).value)


def test_pass_at_k_estimate_names_short_problem():
    with pytest.raises(ValueError, match=r"problem 1 .*n=2"):
        pass_at_k_estimate([[True] * 4, [True, False]], k=3)


# ---- Estimate and the bootstrap -------------------------------------------------------------


def test_estimate_formatting():
    est = Estimate(value=0.433, low=0.382, high=0.484, n=30)
    assert est.fmt() == "43.3 [38.2, 48.4]"
    assert est.fmt(percent=False) == "0.433 [0.382, 0.484]"
    assert str(est) == "43.3 ± 5.1"  # (48.4 - 38.2) / 2 = 5.1
    assert Estimate(0.5, math.nan, math.nan, 0).fmt() == "50.0"


def test_bootstrap_edge_cases():
    low, high = bootstrap_ci([])
    assert math.isnan(low) and math.isnan(high)
    assert bootstrap_ci([0.7]) == (0.7, 0.7)
    assert bootstrap_ci([0.25] * 10) == pytest.approx((0.25, 0.25))


@pytest.mark.parametrize("kwargs", [{"resamples": 0}, {"confidence": 0.0}, {"confidence": 1.0}])
def test_bootstrap_rejects_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        bootstrap_ci([0.0, 1.0], **kwargs)


def test_bootstrap_deterministic_and_seeded():
    values = [i % 3 / 2 for i in range(40)]
    assert bootstrap_ci(values, seed=7) == bootstrap_ci(values, seed=7)
    assert bootstrap_ci(values, seed=7) != bootstrap_ci(values, seed=8)


def test_bootstrap_narrows_with_more_problems():
    few = bootstrap_ci([1.0, 0.0] * 5)  # 10 problems, mean 0.5
    many = bootstrap_ci([1.0, 0.0] * 200)  # 400 problems, same mean
    assert few[0] <= 0.5 <= few[1] and many[0] <= 0.5 <= many[1]
    assert many[1] - many[0] < (few[1] - few[0]) / 3  # width ~ 1/sqrt(n): sqrt(40) ~ 6.3 times


def test_bootstrap_wider_at_higher_confidence():
    values = [1.0, 0.0, 0.0] * 20
    low90, high90 = bootstrap_ci(values, confidence=0.90)
    low99, high99 = bootstrap_ci(values, confidence=0.99)
    assert low99 <= low90 and high90 <= high99


# ---- mean@k (pass@1) ------------------------------------------------------------------------


def test_mean_at_k_hand_value():
    # per problem: 3/4 = 0.75, 0/4 = 0, 4/4 = 1; mean over problems (0.75 + 0 + 1) / 3 = 0.58333
    est = mean_at_k([[1, 0, 1, 1], [0, 0, 0, 0], [1, 1, 1, 1]])
    assert est.value == pytest.approx((0.75 + 0 + 1) / 3)
    assert est.n == 3
    assert est.low <= est.value <= est.high
    assert 0.0 <= est.low and est.high <= 1.0
    assert est == mean_at_k([[1, 0, 1, 1], [0, 0, 0, 0], [1, 1, 1, 1]])  # deterministic


def test_mean_at_k_weights_problems_not_samples():
    # problem 0: 1/1 = 1, problem 1: 0/3 = 0 -> 0.5, where the sample mean would be 1/4
    assert mean_at_k([[1], [0, 0, 0]]).value == pytest.approx(0.5)


def test_mean_at_k_passes_ci_kwargs():
    rows = [[1, 0]] * 5 + [[1, 1]] * 5
    assert mean_at_k(rows, seed=1) == mean_at_k(rows, seed=1)
    assert mean_at_k(rows, seed=1, confidence=0.5).high <= mean_at_k(rows, seed=1, confidence=0.99).high


def test_mean_at_k_empty_problem_raises_with_index():
    with pytest.raises(ValueError, match="problem 1"):
        mean_at_k([[1, 0], [], [1]])


def test_mean_at_k_no_problems_is_nan():
    est = mean_at_k([])
    assert est.n == 0 and math.isnan(est.value)


# ---- majority vote and cons@k ---------------------------------------------------------------


def test_vote_classes_groups_equivalent_spellings():
    answers = ["3", "1/2", None, "0.5", "3", "\\frac{1}{2}"]
    assert vote_classes(answers, same) == [[0, 4], [1, 3, 5]]
    assert majority_vote(answers, same) == 1  # "1/2" class (3 votes) beats "3" (2 votes)


def test_vote_classes_compares_against_representative():
    calls = []

    def spy(a, b):
        calls.append((a, b))
        return same(a, b)

    vote_classes(["1/2", "0.5", "0.5", "7"], spy)
    # "0.5" is compared with the representative "1/2"; the second "0.5" too (not with the first
    # "0.5"); "7" with "1/2" only, as "7" is not "1/2" it opens a class
    assert calls == [("1/2", "0.5"), ("1/2", "0.5"), ("1/2", "7")]


def test_identical_strings_vote_together_without_calling_same():
    def never(a, b):
        raise AssertionError("same() called")

    assert vote_classes(["x", "x", None, "x"], never) == [[0, 1, 3]]


@pytest.mark.parametrize(
    "answers, expected",
    [
        (["a", "b", "b", "a"], 0),  # 2-2 tie: "a" appeared first
        ([None, "b", "a", "a", "b"], 1),  # 2-2 tie: "b" (index 1) appeared first
        (["a", "b", "c"], 0),  # all singletons
        (["a", "b", "b"], 1),
        ([None, None], None),
        ([], None),
    ],
)
def test_majority_vote(answers, expected):
    assert majority_vote(answers, lambda a, b: a == b) == expected


def test_cons_at_k_equivalent_answers_beat_plurality_of_identical_ones():
    problem = [("3", False), ("1/2", True), ("0.5", True), ("3", False), ("\\frac{1}{2}", True)]
    # all 5: {1/2, 0.5, \frac12} = 3 votes > {"3", "3"} = 2 votes -> representative "1/2" is correct
    assert cons_at_k([problem], None, same).value == 1.0
    assert cons_at_k([problem], 5, same).value == 1.0
    # first 4: "3" x2 vs {1/2, 0.5} x2, tie -> "3" appeared first -> wrong
    assert cons_at_k([problem], 4, same).value == 0.0


def test_cons_at_k_uses_representative_flag():
    # the verifier judged the representative "0.5" wrong (say, format rules), the others right
    problem = [("0.5", False), ("1/2", True), ("\\frac{1}{2}", True)]
    assert cons_at_k([problem], 3, same).value == 0.0


def test_cons_at_k_over_problems():
    problems = [
        [("2", True), ("2", True), ("5", False)],  # 1
        [(None, False), (None, False), (None, False)],  # nothing extracted -> 0
        [("4", False), ("1/2", True), ("0.5", True)],  # 1/2 class wins -> 1
        [("9", False), ("9", False), ("1", True)],  # wrong majority -> 0
    ]
    est = cons_at_k(problems, 3, same)
    assert est.value == pytest.approx(2 / 4)
    assert est.n == 4
    assert est.low <= est.value <= est.high


def test_cons_at_k_all_none_scores_zero():
    assert cons_at_k([[(None, False)] * 4], 4, same).value == 0.0


@pytest.mark.parametrize("k", [4, 8])
def test_cons_at_k_too_few_samples_raises(k):
    with pytest.raises(ValueError, match="problem 1"):
        cons_at_k([[("1", True)] * 8, [("1", True)] * 3], k, same)


@pytest.mark.parametrize("k", [0, -1])
def test_cons_at_k_rejects_bad_k(k):
    with pytest.raises(ValueError):
        cons_at_k([[("1", True)]], k, same)


# ---- lengths, rates, breakdowns -------------------------------------------------------------


def test_length_stats():
    # all: mean (10+20+30+40+100)/5 = 40, median 30
    # correct 10, 30 -> mean 20, median 20; wrong 20, 40, 100 -> mean 160/3, median 40
    stats = length_stats([10, 20, 30, 40, 100], [True, False, True, False, False])
    assert stats == pytest.approx(
        {
            "mean": 40.0,
            "median": 30.0,
            "mean_correct": 20.0,
            "mean_wrong": 160 / 3,
            "median_correct": 20.0,
            "median_wrong": 40.0,
            "n": 5,
        }
    )


def test_length_stats_empty_groups_are_none():
    stats = length_stats([5, 7], [True, True])
    assert stats["mean_wrong"] is None and stats["median_wrong"] is None
    assert stats["median_correct"] == 6.0
    empty = length_stats([], [])
    assert empty["n"] == 0
    assert all(empty[key] is None for key in ("mean", "median", "mean_correct", "median_correct"))


def test_length_stats_mismatched_lengths_raise():
    with pytest.raises(ValueError):
        length_stats([1, 2, 3], [True])


@pytest.mark.parametrize(
    "flags, expected",
    [([True, False, True, True], 0.75), ([False], 0.0), ([True], 1.0), ([], None)],
)
def test_rate(flags, expected):
    assert rate(flags) == expected


def test_breakdown_natural_order_and_values():
    rows = [
        {"level": "Level 10", "problem_id": "a", "score": 1.0},
        {"level": "Level 2", "problem_id": "b", "score": 1.0},
        {"level": "Level 2", "problem_id": "b", "score": 0.0},
        {"level": "Level 2", "problem_id": "c", "score": 1.0},
        {"level": "Level 1", "problem_id": "d", "score": 0.0},
    ]
    out = breakdown(rows, by="level")
    assert list(out) == ["Level 1", "Level 2", "Level 10"]
    # Level 2: problem b (1+0)/2 = 0.5, problem c 1/1 = 1 -> (0.5+1)/2 = 0.75, not the row mean 2/3
    assert out["Level 2"].value == pytest.approx(0.75)
    assert out["Level 2"].n == 2
    assert out["Level 10"].value == 1.0 and out["Level 1"].value == 0.0


def test_breakdown_custom_columns_and_non_string_keys():
    rows = [
        {"level": 10, "pid": 1, "correct": True},
        {"level": 2, "pid": 2, "correct": False},
        {"level": 2, "pid": 3, "correct": True},
    ]
    out = breakdown(rows, by="level", score="correct", problem="pid")
    assert list(out) == ["2", "10"]
    assert out["2"].value == pytest.approx(0.5)


def test_breakdown_mixed_keys_sort():
    rows = [{"g": g, "problem_id": g, "score": 1} for g in ["b", "a10", "a9", "10", "9", ""]]
    assert list(breakdown(rows, by="g")) == ["", "9", "10", "a9", "a10", "b"]


def test_bootstrap_matches_the_normal_interval_of_a_proportion():
    # 400 problems, 30% solved: the percentile bootstrap of the mean is close to p ± 1.96·sqrt(p(1-p)/n)
    values = [1.0] * 120 + [0.0] * 280
    low, high = bootstrap_ci(values, resamples=4000)
    half = 1.96 * math.sqrt(0.3 * 0.7 / 400)
    assert low == pytest.approx(0.3 - half, abs=0.006) and high == pytest.approx(0.3 + half, abs=0.006)
    assert low < 0.3 < high


def test_bootstrap_in_blocks_is_the_same_interval(monkeypatch):
    import evals.metrics as metrics

    values = [i % 7 / 6 for i in range(300)]
    whole = bootstrap_ci(values, seed=3)
    monkeypatch.setattr(metrics, "BOOTSTRAP_CHUNK", 300 * 7)  # 7 resamples per block, the last one short
    blocks = bootstrap_ci(values, seed=3)
    assert blocks[0] == pytest.approx(whole[0], abs=0.02) and blocks[1] == pytest.approx(whole[1], abs=0.02)
