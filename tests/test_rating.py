"""Tests for evals.judge.rating on the handmade contests in tests/cases/contest_small/.

Hand arithmetic used below: against opponents rated r_i, a player rated R has expected place
E(R) = 1 + sum_i 1 / (1 + 10 ** ((R - r_i) / 400)).  When every r_i equals R each term is 1/2.
"""
from __future__ import annotations

import json
import math
import statistics
from pathlib import Path

import pytest

from evals.judge.rating import (
    RatingDataError,
    contest_from_dict,
    expected_place,
    load_contest,
    load_ratings,
    load_results,
    model_rank,
    model_score,
    percentile,
    performance_rating,
    rate,
)

CASES = Path(__file__).parent / "cases" / "contest_small"
ICPC_RATINGS = [1900.0, 1700.0, 1500.0, 1300.0]
# 1500 - 400*log10(3): the rating whose expected place among four 1500s is 4 (derived in a test below)
RANK4_AMONG_1500S = 1500 - 400 * math.log10(3)


@pytest.fixture(scope="module")
def points():
    return load_contest(CASES / "points.json")


@pytest.fixture(scope="module")
def icpc():
    return load_contest(CASES / "icpc.json")


@pytest.fixture(scope="module")
def results():
    return load_results(CASES / "results.json")


# --------------------------------------------------------------------------- loading


def test_load_fixtures(points, icpc):
    assert points.contest_id == 1001 and points.scoring == "points"
    assert [(p.index, p.points) for p in points.problems] == [("A", 500), ("B", 1000), ("C", 1500)]
    assert points.ratings == (1500, 1500, 1500, 1500)
    # the unrated guest is kept in the standings but left out of the rated field
    assert len(icpc.participants) == 5 and icpc.ratings == tuple(ICPC_RATINGS)
    assert load_ratings(CASES / "ratings.json")[:3] == [800, 1000, 1200]


def _write(tmp_path: Path, data) -> Path:
    path = tmp_path / "broken_contest.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def _good() -> dict:
    return json.loads((CASES / "points.json").read_text())


@pytest.mark.parametrize(
    ("mutate", "record", "fix"),
    [
        (lambda d: d["participants"][2].pop("score"), "participants[2] (handle 'carol')", '"score"'),
        (lambda d: d["participants"][1].update(rating_before="1500"), "participants[1] (handle 'bob')", "null"),
        (lambda d: d["participants"][0].update(penalty=True), "participants[0] (handle 'alice')", '"penalty"'),
        (lambda d: d["problems"][1].pop("points"), "problems[1] (index 'B')", '"points": 500'),
        (lambda d: d["problems"][2].update(index="A"), "problems[2] (index 'A')", "own index"),
        (lambda d: d.update(scoring="ioi"), "scoring", '"points" or "icpc"'),
        (lambda d: d.pop("contest_id"), "contest_id", '"contest_id"'),
        (lambda d: [p.update(rating_before=None) for p in d["participants"]], "participants", "rating_before"),
    ],
)
def test_malformed_contest_names_file_record_and_fix(tmp_path, mutate, record, fix):
    data = _good()
    mutate(data)
    path = _write(tmp_path, data)
    with pytest.raises(RatingDataError) as err:
        load_contest(path)
    msg = str(err.value)
    assert msg.startswith(f"{path}: {record}:"), msg
    assert "fix:" in msg and fix in msg.split("fix:", 1)[1], msg


def test_invalid_json_names_file_and_position(tmp_path):
    path = _write(tmp_path, '{"contest_id": 1,\n "name": }')
    pattern = r"broken_contest\.json: line 2 column \d+: .*fix: make the file valid JSON"
    with pytest.raises(RatingDataError, match=pattern):
        load_contest(path)


def test_malformed_results_and_ratings(tmp_path, points):
    bad = tmp_path / "results.json"
    bad.write_text(json.dumps({"1001": {"A": [1, 0]}}))
    with pytest.raises(RatingDataError, match=r"results\.json: contest '1001' problem 'A': not a list of booleans"):
        load_results(bad)
    bad.write_text(json.dumps({"800": 5}))
    with pytest.raises(RatingDataError, match=r"contest '800': not an object"):
        load_results(bad)
    ratings = tmp_path / "ratings.json"
    ratings.write_text(json.dumps([1500, "n/a"]))
    with pytest.raises(RatingDataError, match=r"ratings\.json: \[1\]: 'n/a' is not a number; fix:"):
        load_ratings(ratings)
    with pytest.raises(RatingDataError, match="not a problem of the contest"):
        model_score(points, {"Z": [True]}, sample=0)
    with pytest.raises(RatingDataError, match=r"sample counts differ \[1, 2\]"):
        model_score(points, {"A": [True], "B": [True, False]}, sample=0)


# --------------------------------------------------------------------------- scoring


def test_points_failed_attempts_cost_50_each(points):
    # CodeElo rule: two failed samples then a pass -> one solve worth 500 - 50*2 = 400
    assert model_score(points, {"A": [False, False, True]}, rule="first_pass") == (400, 0)
    # never below zero: 11 failures on a 500-pointer leave max(0, 500 - 550) = 0
    assert model_score(points, {"A": [False] * 11 + [True]}, rule="first_pass") == (0, 0)
    # per_sample submits sample j once: no earlier failures, full points when it passes
    assert model_score(points, {"A": [False, False, True]}, sample=2) == (500, 0)
    assert model_score(points, {"A": [False, False, True]}, sample=0) == (0, 0)


def test_first_pass_looks_at_first_n_only(points):
    verdicts = {"A": [False, False, True], "B": [True, False, False]}
    assert model_score(points, verdicts, rule="first_pass", n=2) == (1000, 0)  # A not passed within 2
    assert model_score(points, verdicts, rule="first_pass", n=3) == (1400, 0)
    with pytest.raises(ValueError, match="1 <= n <= 3"):
        model_score(points, verdicts, rule="first_pass", n=4)
    with pytest.raises(ValueError, match="per_sample needs 0 <= sample < 3"):
        model_score(points, verdicts)  # per_sample without a sample index


def test_icpc_penalty_counts_failures_before_accept_only(icpc):
    # A: accepted first try; B: 2 failures then accepted (+20); C: 3 failures, never solved (free)
    verdicts = {"A": [True, True, True, True], "B": [False, False, True, True], "C": [False] * 4}
    assert model_score(icpc, verdicts, rule="first_pass") == (2, 20)
    assert model_score(icpc, verdicts, sample=0) == (1, 0)


def test_icpc_rank_tie_breaks_on_penalty(icpc):
    # rated standings: erin 3/95, frank 2/40, grace 2/75, heidi 1/10 (unrated guest 3/5 ignored)
    assert model_rank(icpc, 2, 20) == 2  # only erin is better; beats frank on penalty
    assert model_rank(icpc, 2, 40) == 2.5  # exact tie with frank: 1 + 1 better + 0.5 * 1 tied
    assert model_rank(icpc, 2, 41) == 3  # erin and frank better, grace (75) worse
    assert model_rank(icpc, 1, 0) == 4  # one solve with less penalty than heidi
    assert model_rank(icpc, 3, 10) == 1  # the unrated guest (3/5) does not count


def test_points_rank_ties_and_ignores_penalty(points):
    # scores 2000, 1600, 900, 400: equal to carol -> 1 + 2 better + 0.5 * 1 tied = 3.5
    assert model_rank(points, 900) == 3.5
    assert model_rank(points, 900, penalty=99) == 3.5
    assert model_rank(points, 1000) == 3
    assert model_rank(points, 0) == 5


# --------------------------------------------------------------------------- rating


def test_all_1500_rank_3_is_exactly_1500(points):
    # Four opponents all rated 1500. At R = 1500 each of them beats the model with probability
    # 1 / (1 + 10**0) = 1/2, so E(1500) = 1 + 4 * 0.5 = 3. A model ranking 3rd therefore rates 1500.
    assert expected_place(1500, points.ratings) == 3
    assert performance_rating(3, points.ratings) == pytest.approx(1500, abs=1e-6)
    # Rank 4: 1 + 4 / (1 + x) = 4 -> x = 10**((R - 1500) / 400) = 1/3 -> R = 1500 - 400 log10 3.
    assert performance_rating(4, points.ratings) == pytest.approx(RANK4_AMONG_1500S, abs=1e-6)
    # Rank 3.5: 4 / (1 + x) = 2.5 -> x = 0.6 -> R = 1500 + 400 log10 0.6.
    assert performance_rating(3.5, points.ratings) == pytest.approx(1500 + 400 * math.log10(0.6), abs=1e-6)


def test_symmetric_field_by_hand():
    # 1900/1300 and 1700/1500 are symmetric around 1600: per pair the two win probabilities at
    # R = 1600 are p and 1 - p, so E(1600) = 1 + 2 * 1 = 3 and rank 3 rates 1600.
    assert expected_place(1600, ICPC_RATINGS) == pytest.approx(3, abs=1e-12)
    assert performance_rating(3, ICPC_RATINGS) == pytest.approx(1600, abs=1e-6)


@pytest.mark.parametrize("rank", [1.2, 1.5, 2, 2.5, 3.7, 4.9])
@pytest.mark.parametrize(
    "ratings", [ICPC_RATINGS, [2400.0, 2100.0, 1888.0, 1500.0, 1234.0, 1200.0, 900.0, 640.0, 3300.0]]
)
def test_round_trip_against_direct_evaluation(rank, ratings):
    r = performance_rating(rank, ratings)
    assert -1000 < r < 5000
    # evaluate the defining sum directly, independently of expected_place
    direct = 1 + sum(1 / (1 + 10 ** ((r - ri) / 400)) for ri in ratings)
    assert direct == pytest.approx(rank, abs=1e-6)
    assert expected_place(r, ratings) == pytest.approx(rank, abs=1e-6)


def test_monotone():
    grid = [-1000 + 50 * i for i in range(121)]
    places = [expected_place(r, ICPC_RATINGS) for r in grid]
    assert all(a > b for a, b in zip(places, places[1:]))  # expected place falls as R rises
    ranks = [1.1 + 0.25 * i for i in range(16)]
    perf = [performance_rating(k, ICPC_RATINGS) for k in ranks]
    assert all(a > b for a, b in zip(perf, perf[1:]))  # a worse rank never rates higher


def test_clamped_at_bounds(points):
    # E(R) lies strictly between 1 and n + 1, so first and last place hit the search bounds
    assert performance_rating(1, points.ratings) == 5000
    assert performance_rating(5, points.ratings) == -1000


def test_percentile():
    ratings = load_ratings(CASES / "ratings.json")  # 800 1000 1200 1400 1500 1500 1600 1900 2100 2400
    assert percentile(1500, ratings) == 40.0  # strictly below: 800..1400; the two 1500s do not count
    assert percentile(1500.5, ratings) == 60.0
    assert percentile(700, ratings) == 0.0 and percentile(3000, ratings) == 100.0


# --------------------------------------------------------------------------- rate


def test_per_sample_vs_first_pass_on_crafted_contest(points, results):
    # results for 1001: A [F, T], B [T, F], C [F, F]; opponents score 2000, 1600, 900, 400, all 1500
    pairs = [(points, results["1001"])]
    per = rate(pairs, rule="per_sample")
    # j=0: B only = 1000 -> rank 3 -> 1500; j=1: A only = 500 -> rank 4 -> 1500 - 400 log10 3
    assert per.ranks == {"1001": (3, 4)}
    assert per.per_contest["1001"] == pytest.approx((1500, RANK4_AMONG_1500S), abs=1e-6)
    assert per.rating == pytest.approx((1500 + RANK4_AMONG_1500S) / 2, abs=1e-6)
    assert per.spread_min == pytest.approx(RANK4_AMONG_1500S, abs=1e-6)
    assert per.spread_max == pytest.approx(1500, abs=1e-6)
    assert per.spread_std == pytest.approx(200 * math.log10(3), abs=1e-6)  # half the gap, population std
    # first_pass: A passes on its 2nd sample -> 500 - 50 = 450, B on its 1st -> 1000; 1450 -> rank 3
    assert model_score(points, results["1001"], rule="first_pass") == (1450, 0)
    first = rate(pairs, rule="first_pass")
    assert first.ranks == {"1001": (3,)}
    assert first.rating == pytest.approx(1500, abs=1e-6)
    assert (first.spread_std, first.per_sample) == (0, first.per_contest["1001"])
    assert first.rating - per.rating == pytest.approx(200 * math.log10(3), abs=1e-6)


def test_rate_means_over_samples_and_contests(points, icpc, results):
    all_ratings = load_ratings(CASES / "ratings.json")
    report = rate([(points, results["1001"]), (icpc, results["1002"])], rule="per_sample", all_ratings=all_ratings)
    # icpc 1002: A [T, T], B [F, T]: j=0 -> 1 solved, penalty 0 -> rank 4; j=1 -> 2 solved -> rank 2
    assert report.ranks == {"1001": (3, 4), "1002": (4, 2)}
    icpc_perf = (performance_rating(4, ICPC_RATINGS), performance_rating(2, ICPC_RATINGS))
    assert report.per_contest["1002"] == icpc_perf
    expected_j = [(1500 + icpc_perf[0]) / 2, (RANK4_AMONG_1500S + icpc_perf[1]) / 2]
    assert report.per_sample == pytest.approx(expected_j, abs=1e-6)
    assert report.rating == pytest.approx(statistics.fmean(expected_j), abs=1e-6)
    assert report.spread_std == pytest.approx(statistics.pstdev(expected_j), abs=1e-6)
    assert report.percentile == percentile(report.rating, all_ratings)


def test_rate_rejects_unequal_sample_counts_and_duplicates(points, icpc, results):
    with pytest.raises(ValueError, match=r"same sample count in every contest, got \[1, 2\]"):
        rate([(points, results["1001"]), (icpc, {"A": [True]})], rule="per_sample")
    with pytest.raises(ValueError, match="given twice"):
        rate([(points, results["1001"]), (points, results["1001"])], rule="first_pass")
    with pytest.raises(RatingDataError, match="no samples"):
        rate([(points, {})], rule="first_pass")


def test_contest_from_dict_source_in_errors():
    with pytest.raises(RatingDataError, match=r"^<contest>: top level: not a JSON object"):
        contest_from_dict([1, 2])


def test_rate_cli_matches_the_library(points, icpc, results):
    import subprocess
    import sys

    cmd = [sys.executable, "-m", "evals", "rate", str(CASES / "results.json"), str(CASES / "points.json"),
           str(CASES / "icpc.json"), "--all-ratings", str(CASES / "ratings.json")]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    report = rate([(points, results["1001"]), (icpc, results["1002"])], rule="per_sample",
                  all_ratings=load_ratings(CASES / "ratings.json"))
    assert json.loads(out.stdout)["rating"] == pytest.approx(report.rating)
    missing = subprocess.run(cmd[:5] + [str(CASES / "results.json")], capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and "error:" in missing.stderr
