"""Offline Codeforces-style rating of a model, as in DeepSeek-R1 (arXiv:2501.12948) and CodeElo (arXiv:2501.01257).

The model is scored on past contests as if it had taken part, ranked against the contest's rated
human participants, and given the *performance rating* whose Elo-expected place equals that rank.
Pure stdlib, no I/O except the three ``load_*`` helpers.

Usage::

    from pathlib import Path

    from evals.judge.rating import load_contest, load_ratings, load_results, rate

    results = load_results("runs/model/cf_results.json")        # contest id -> problem -> verdicts
    contests = [load_contest(p) for p in sorted(Path("contests").glob("*.json"))]
    report = rate([(c, results[str(c.contest_id)]) for c in contests],
                  rule="per_sample", all_ratings=load_ratings("cf_ratings.json"))
    print(f"{report.rating:.0f} (min {report.spread_min:.0f}, max {report.spread_max:.0f}, "
          f"std {report.spread_std:.0f}), above {report.percentile:.1f}% of rated users")

File formats (plain JSON, read with ``json`` only; a bad record raises ``RatingDataError`` naming the
file, the record and the fix):

* Contest standings, one contest per file::

    {"contest_id": 2000, "name": "Codeforces Round 1 (Div. 2)", "scoring": "points",
     "problems": [{"index": "A", "points": 500}, {"index": "B", "points": 1000}],
     "participants": [{"handle": "tourist", "rating_before": 3500, "score": 1432.0, "penalty": 0}]}

  ``scoring`` is ``"points"`` (CF Div. 2 style; ``points`` required per problem) or ``"icpc"``
  (``score`` = number of solved problems, ``penalty`` = penalty minutes, lower is better; problem
  ``points`` optional and ignored). ``rating_before: null`` marks an unrated participant, who is
  left out of both the ranking and the expected place. ``penalty`` defaults to 0.
* Model results, one file for all contests: ``{"<contest_id>": {"A": [true, false, ...], ...}}`` --
  per problem, the verdicts of the model's samples in sample order. A problem left out (or an empty
  list) was not attempted. Within a contest every non-empty list must have the same length k.
* All rated users (for the percentile): a JSON list of numbers, ``[1500, 1873, 902, ...]``.

Rules (what this module decides, since the papers leave it open):

* Points rounds: a solved problem is worth ``max(0, points - 50 * failed attempts before it)``.
  There is no time decay: a model has no submission time, so humans' scores (which do decay) are
  compared with undecayed ones -- this favours the model and is a known bias of the method.
* ICPC rounds: score = solved count; penalty = 10 per failed attempt before the accepted one, summed
  over solved problems only (failures on unsolved problems are free, as in ICPC); no time component.
  A higher score is better; on equal score the lower penalty is better. Points rounds ignore penalty.
* Rank = 1 + #participants strictly better + 0.5 * #participants exactly equal (the model takes the
  middle of the tied block, so a tie with k humans costs k/2 places).
* Performance rating: the R with expected place ``1 + sum_i 1 / (1 + 10 ** ((R - r_i) / 400))``
  equal to the rank (r_i = rated participants' ``rating_before``). This is the CF "seed" formula
  solved for R directly (CodeElo); CF's own update (geometric mean of seed and rank, damped delta)
  is not applied. Bisection on [-1000, 5000] to 1e-9 (well below the 0.01 needed) so that
  ``expected_place(performance_rating(rank)) == rank`` to ~1e-6. The expected place lies strictly
  between 1 and n+1 (n rated participants), so ranks the range cannot express are clamped: rank 1
  (beating everyone) always gives 5000 and rank n+1 (below everyone) always gives -1000. Such
  contests pull the mean hard; look at ``RatingReport.ranks`` before trusting a headline.
* Samples, ``rule="per_sample"`` (our rule; R1 used k samples and did not publish how): sample j is a
  separate virtual participation in which the model submits sample j once per problem (so no failed
  attempts and no penalty). One rating per (contest, j); per j the mean over contests; the headline
  is the mean over j, with the spread (min, max, population std) over j. Every contest must have the
  same k.
* Samples, ``rule="first_pass"`` (CodeElo): a problem is solved if any of the first n samples passes
  (``n=None``: all k); failed attempts = failed samples before the first pass. One rating per contest;
  the spread is then over one value (std 0).
* Final rating = mean over contests. Percentile = 100 * share of ``all_ratings`` strictly below the
  model's rating (ties do not count as beaten), in percent.
"""
from __future__ import annotations

import json
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "Contest",
    "Participant",
    "Problem",
    "RatingDataError",
    "RatingReport",
    "Rule",
    "contest_from_dict",
    "expected_place",
    "load_contest",
    "load_ratings",
    "load_results",
    "model_rank",
    "model_score",
    "percentile",
    "performance_rating",
    "rate",
]

Rule = Literal["per_sample", "first_pass"]
Results = Mapping[str, Sequence[bool]]

RATING_MIN = -1000.0
RATING_MAX = 5000.0
WRONG_POINTS = 50  # CF: each rejected attempt before the accepted one costs 50 points
WRONG_PENALTY = 10  # ICPC: 10 penalty "minutes" per rejected attempt before the accepted one


class RatingDataError(ValueError):
    """A contest, results or ratings record that cannot be used; the message names file, record and fix."""


@dataclass(frozen=True)
class Problem:
    index: str
    points: float = 0.0


@dataclass(frozen=True)
class Participant:
    handle: str
    rating_before: float | None  # None: unrated, ignored for rank and expected place
    score: float
    penalty: float = 0.0


@dataclass(frozen=True)
class Contest:
    contest_id: int | str
    name: str
    scoring: Literal["points", "icpc"]
    problems: tuple[Problem, ...]
    participants: tuple[Participant, ...]

    @property
    def rated(self) -> tuple[Participant, ...]:
        return tuple(p for p in self.participants if p.rating_before is not None)

    @property
    def ratings(self) -> tuple[float, ...]:
        return tuple(float(p.rating_before) for p in self.rated)  # type: ignore[arg-type]


@dataclass(frozen=True)
class RatingReport:
    """``per_contest[id]`` / ``ranks[id]``: one value per sample j (per_sample) or one (first_pass)."""

    rule: Rule
    per_contest: dict[str, tuple[float, ...]]
    ranks: dict[str, tuple[float, ...]]
    per_sample: tuple[float, ...]  # mean over contests, one per sample index j
    rating: float
    spread_min: float
    spread_max: float
    spread_std: float  # population std over j
    percentile: float | None = None  # percent of all_ratings strictly below ``rating``


# --------------------------------------------------------------------------- loading


def _bad(source: str, record: str, problem: str, fix: str) -> RatingDataError:
    return RatingDataError(f"{source}: {record}: {problem}; fix: {fix}")


def _is_number(x: object) -> bool:
    # bool is an int subclass; a true/false where a number belongs is a data bug
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _read_json(path: str | Path) -> Any:
    from evals.errors import DataError
    from evals.records import read_text

    try:
        return json.loads(read_text(path, "rating data file"))
    except DataError as e:  # unreadable, or not UTF-8 (named with its line)
        raise RatingDataError(str(e)) from e
    except json.JSONDecodeError as e:
        raise _bad(str(path), f"line {e.lineno} column {e.colno}", e.msg, "make the file valid JSON") from e


def _parse_problems(data: dict, source: str, scoring: str) -> tuple[Problem, ...]:
    raw = data.get("problems")
    if not isinstance(raw, list) or not raw:
        raise _bad(source, "problems", "missing or empty", 'give a list like [{"index": "A", "points": 500}]')
    problems: list[Problem] = []
    for i, p in enumerate(raw):
        rec = f"problems[{i}]"
        if not isinstance(p, dict) or not isinstance(p.get("index"), str) or not p["index"]:
            raise _bad(source, rec, 'no string "index"', 'write {"index": "A", "points": 500}')
        rec = f"problems[{i}] (index {p['index']!r})"
        if p["index"] in {q.index for q in problems}:
            raise _bad(source, rec, "duplicate index", "give every problem its own index")
        points = p.get("points", 0)
        if scoring == "points" and not (_is_number(points) and points > 0):
            raise _bad(source, rec, f"points {points!r} is not a positive number", 'add "points": 500')
        problems.append(Problem(p["index"], float(points) if _is_number(points) else 0.0))
    return tuple(problems)


def _what(record: dict, key: str) -> str:
    return f"{key} is missing" if key not in record else f"{key} {record[key]!r} is not a number"


def _parse_participant(p: object, rec: str, source: str) -> Participant:
    if not isinstance(p, dict) or not isinstance(p.get("handle"), str):
        raise _bad(source, rec, 'not an object with a string "handle"', 'write {"handle": "name", ...}')
    rec = f"{rec} (handle {p['handle']!r})"
    rating = p.get("rating_before", "missing")
    if rating is not None and not _is_number(rating):
        raise _bad(source, rec, _what(p, "rating_before"),
                   'give the pre-contest rating, or "rating_before": null for an unrated participant')
    if not _is_number(p.get("score")):
        raise _bad(source, rec, _what(p, "score"), 'add "score": <points, or solved count for icpc>')
    penalty = p.get("penalty", 0)
    if not _is_number(penalty):
        raise _bad(source, rec, _what(p, "penalty"), 'give "penalty": <number> or leave it out')
    return Participant(p["handle"], None if rating is None else float(rating), float(p["score"]), float(penalty))


def contest_from_dict(data: object, source: str = "<contest>") -> Contest:
    """Build a ``Contest`` from the parsed standings JSON; ``source`` names it in errors."""
    if not isinstance(data, dict):
        raise _bad(source, "top level", "not a JSON object", "see the contest format in evals.judge.rating")
    for key in ("contest_id", "name"):
        if not isinstance(data.get(key), int | str) or isinstance(data.get(key), bool):
            raise _bad(source, key, "missing or not a string/integer", f'add "{key}": ...')
    scoring = data.get("scoring")
    if scoring not in ("points", "icpc"):
        raise _bad(source, "scoring", f"{scoring!r} is not a scoring", 'use "points" or "icpc"')
    problems = _parse_problems(data, source, scoring)
    raw = data.get("participants")
    if not isinstance(raw, list):
        raise _bad(source, "participants", "missing or not a list", "give the standings as a list of objects")
    people = tuple(_parse_participant(p, f"participants[{i}]", source) for i, p in enumerate(raw))
    if not any(p.rating_before is not None for p in people):
        raise _bad(source, "participants", "no rated participant", "give at least one numeric rating_before")
    return Contest(data["contest_id"], str(data["name"]), scoring, problems, people)


def load_contest(path: str | Path) -> Contest:
    """Read one contest standings file (format in the module docstring)."""
    return contest_from_dict(_read_json(path), str(path))


def load_results(path: str | Path) -> dict[str, dict[str, list[bool]]]:
    """Read the model's results file: contest id (string key) -> problem index -> sample verdicts."""
    data = _read_json(path)
    if not isinstance(data, dict):
        raise _bad(str(path), "top level", "not a JSON object", 'write {"<contest_id>": {"A": [true, false]}}')
    for cid, problems in data.items():
        if not isinstance(problems, dict):
            raise _bad(str(path), f"contest {cid!r}", "not an object", 'map problem index to verdicts: {"A": [true]}')
        for index, verdicts in problems.items():
            if not isinstance(verdicts, list) or not all(isinstance(v, bool) for v in verdicts):
                raise _bad(str(path), f"contest {cid!r} problem {index!r}", "not a list of booleans",
                           "write the sample verdicts in order, e.g. [false, true]")
    return data


def load_ratings(path: str | Path) -> list[float]:
    """Read all rated users' current ratings: a JSON list of numbers."""
    data = _read_json(path)
    if not isinstance(data, list) or not data:
        raise _bad(str(path), "top level", "not a non-empty list", "write a JSON list of ratings: [1500, 1873]")
    for i, r in enumerate(data):
        if not _is_number(r):
            raise _bad(str(path), f"[{i}]", f"{r!r} is not a number", "keep only numeric ratings")
    return [float(r) for r in data]


# --------------------------------------------------------------------------- scoring


def _sample_count(contest: Contest, results: Results) -> int:
    """k, the common number of samples of the attempted problems (0 if none); checks the results."""
    known = {p.index for p in contest.problems}
    lengths = set()
    for index, verdicts in results.items():
        where = f"contest {contest.contest_id!r} results, problem {index!r}"
        if index not in known:
            raise RatingDataError(f"{where}: not a problem of the contest; fix: use one of {sorted(known)}")
        if not all(isinstance(v, bool) for v in verdicts):
            raise RatingDataError(f"{where}: verdicts must be booleans; fix: write e.g. [false, true]")
        if verdicts:
            lengths.add(len(verdicts))
    if len(lengths) > 1:
        raise RatingDataError(f"contest {contest.contest_id!r} results: sample counts differ {sorted(lengths)}; "
                              "fix: give every attempted problem the same number of samples")
    return lengths.pop() if lengths else 0


def _outcome(verdicts: Sequence[bool], rule: Rule, sample: int | None, n: int | None) -> tuple[bool, int]:
    """(solved, failed attempts before the accepted one) for one problem."""
    if not verdicts:
        return False, 0
    if rule == "per_sample":
        return bool(verdicts[sample]), 0  # one submission per virtual participation: nothing failed before
    tried = verdicts[:n] if n is not None else verdicts
    return (True, tried.index(True)) if True in tried else (False, len(tried))


def model_score(
    contest: Contest, results: Results, *, sample: int | None = None, rule: Rule = "per_sample", n: int | None = None
) -> tuple[float, float]:
    """(score, penalty) of the model on ``contest``; penalty is 0 for points rounds.

    ``per_sample`` needs ``sample`` = j (0-based); ``first_pass`` looks at the first ``n`` samples (all if None).
    """
    if rule not in ("per_sample", "first_pass"):
        raise ValueError(f"rule must be 'per_sample' or 'first_pass', got {rule!r}")
    k = _sample_count(contest, results)
    if rule == "per_sample" and (sample is None or not 0 <= sample < k):
        raise ValueError(f"per_sample needs 0 <= sample < {k} (samples given), got {sample!r}")
    if rule == "first_pass" and n is not None and not 1 <= n <= k:
        raise ValueError(f"first_pass needs 1 <= n <= {k} (samples given), got {n!r}")
    score = penalty = 0.0
    for problem in contest.problems:
        solved, failed = _outcome(results.get(problem.index, ()), rule, sample, n)
        if not solved:
            continue
        if contest.scoring == "points":
            score += max(0.0, problem.points - WRONG_POINTS * failed)
        else:
            score += 1
            penalty += WRONG_PENALTY * failed
    return score, penalty


def model_rank(contest: Contest, score: float, penalty: float = 0.0) -> float:
    """1 + #rated participants strictly better + 0.5 * #rated participants exactly tied."""
    def key(s: float, pen: float) -> tuple[float, ...]:
        # ICPC: more solved first, then less penalty; points rounds compare the score only
        return (s, -pen) if contest.scoring == "icpc" else (s,)

    mine = key(score, penalty)
    theirs = [key(p.score, p.penalty) for p in contest.rated]
    better = sum(t > mine for t in theirs)
    tied = sum(t == mine for t in theirs)
    return 1 + better + 0.5 * tied


# --------------------------------------------------------------------------- rating


def expected_place(rating: float, ratings: Sequence[float]) -> float:
    """Elo-expected place of a player rated ``rating``: 1 + sum of each opponent's win probability."""
    return 1.0 + sum(1.0 / (1.0 + 10.0 ** ((rating - r) / 400.0)) for r in ratings)


def performance_rating(
    rank: float, ratings: Sequence[float], *, lo: float = RATING_MIN, hi: float = RATING_MAX, tol: float = 1e-9
) -> float:
    """The R in [lo, hi] with ``expected_place(R, ratings) == rank``, by bisection; clamped to the bounds."""
    if not ratings:
        raise ValueError("performance_rating needs at least one opponent rating")
    if expected_place(hi, ratings) >= rank:
        return hi  # even a rating of `hi` is expected to place no better than this
    if expected_place(lo, ratings) <= rank:
        return lo
    while hi - lo > tol:
        mid = (lo + hi) / 2
        # expected place falls as R rises: still expected worse than the rank -> R must go up
        if expected_place(mid, ratings) > rank:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def percentile(rating: float, all_ratings: Sequence[float]) -> float:
    """Percent of ``all_ratings`` strictly below ``rating``."""
    if not all_ratings:
        raise ValueError("percentile needs a non-empty list of ratings")
    return 100.0 * sum(r < rating for r in all_ratings) / len(all_ratings)


def _rate_contest(contest: Contest, results: Results, rule: Rule, n: int | None) -> tuple[list[float], list[float]]:
    """(ranks, ratings) of the model on one contest: one per sample (per_sample) or one (first_pass)."""
    k = _sample_count(contest, results)
    if k == 0:
        raise RatingDataError(f"contest {contest.contest_id!r} results: no samples; "
                              "fix: give verdicts for at least one problem")
    runs = range(k) if rule == "per_sample" else [None]
    ranks = [model_rank(contest, *model_score(contest, results, sample=j, rule=rule, n=n)) for j in runs]
    return ranks, [performance_rating(r, contest.ratings) for r in ranks]


def rate(
    contests_and_results: Iterable[tuple[Contest, Results]],
    *,
    rule: Rule,
    all_ratings: Sequence[float] | None = None,
    n: int | None = None,
) -> RatingReport:
    """Rate the model over contests (rules in the module docstring); ``n`` only applies to first_pass."""
    per_contest: dict[str, tuple[float, ...]] = {}
    ranks: dict[str, tuple[float, ...]] = {}
    for contest, results in contests_and_results:
        cid = str(contest.contest_id)
        if cid in per_contest:
            raise ValueError(f"contest {cid!r} given twice; fix: pass each contest once")
        r, p = _rate_contest(contest, results, rule, n)
        ranks[cid], per_contest[cid] = tuple(r), tuple(p)
    if not per_contest:
        raise ValueError("rate needs at least one (contest, results) pair")
    counts = {len(v) for v in per_contest.values()}
    if len(counts) > 1:
        raise ValueError(f"per_sample needs the same sample count in every contest, got {sorted(counts)}; "
                         "fix: sample every contest equally often, or use rule='first_pass'")
    # per sample index j: the mean over contests; the headline is the mean over j
    per_sample = tuple(statistics.fmean(v[j] for v in per_contest.values()) for j in range(counts.pop()))
    rating = statistics.fmean(per_sample)
    return RatingReport(
        rule=rule,
        per_contest=per_contest,
        ranks=ranks,
        per_sample=per_sample,
        rating=rating,
        spread_min=min(per_sample),
        spread_max=max(per_sample),
        spread_std=statistics.pstdev(per_sample),
        percentile=None if all_ratings is None else percentile(rating, all_ratings),
    )
