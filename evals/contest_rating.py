"""A Codeforces run's CodeElo-style rating, from its stored verdicts and the standings the user names.

`python -m evals run --benchmark codeforces --standings DIR` (and `show`, which recomputes it) put
the block below under "rating" in results/<run>.json; the rules are evals.judge.rating's (the same
code as `python -m evals rate`, so both give the same number on the same data)::

    {"rule": "per_sample", "value": 1523.4, "interval": [1401.2, 1650.0], "std": 61.0,
     "percentile": 71.2, "contests": 10, "per_contest": {...}, "ranks": {...}, "per_sample": [...],
     "standings": "DIR", "all_ratings": "FILE", "unrated_contests": [...]}

``interval``: the lowest and highest per-sample rating (rule per_sample: each sample j is one virtual
participation in every contest, averaged over contests), i.e. the spread that the choice of sample
alone produces; first_pass has a single value. Without standings the block says what it needs.

Problems map to contests by their metadata (``contest_id``, ``index``: open-r1/codeforces rows have
both). ``--standings`` is a directory of contest files (``*.json``) or one contest file; a file
named ``all_ratings.json`` in that directory (or ``--all-ratings FILE``) gives the percentile.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .judge import rating

ALL_RATINGS_NAME = "all_ratings.json"
NEEDS = ("no contest standings given, so no rating: pass --standings DIR (one JSON file per contest, format in "
         "evals/judge/rating.py, e.g. from CodeElo's contest data) and, for the percentile, --all-ratings FILE "
         "(or all_ratings.json in DIR)")


def verdicts_by_contest(rows: Sequence[dict[str, Any]], problems: Sequence[Any]) -> dict[str, dict[str, list[bool]]]:
    """contest id -> problem index -> sample verdicts in sample order (the `evals rate` results format)."""
    where = {p.id: (str((p.metadata or {}).get("contest_id") or ""), str((p.metadata or {}).get("index") or ""))
             for p in problems}
    samples: dict[tuple[str, str], list[tuple[int, bool]]] = defaultdict(list)
    for row in rows:
        contest, index = where.get(row["problem_id"], ("", ""))
        if contest and index and row.get("reason"):
            samples[(contest, index)].append((int(row["sample_index"]), bool(row["correct"])))
    out: dict[str, dict[str, list[bool]]] = defaultdict(dict)
    for (contest, index), got in sorted(samples.items()):
        out[contest][index] = [ok for _, ok in sorted(got)]
    return dict(out)


def load_standings(path: str | Path) -> list[rating.Contest]:
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.glob("*.json") if p.name != ALL_RATINGS_NAME)
        if not files:
            raise rating.RatingDataError(f"{path}: no contest files (*.json) in this directory; fix: put one "
                                         "standings file per contest there (format in evals/judge/rating.py)")
        return [rating.load_contest(p) for p in files]
    if not path.is_file():
        raise rating.RatingDataError(f"{path}: no such file or directory; fix: pass --standings with a directory "
                                     "of contest files or one contest file")
    return [rating.load_contest(path)]


def rating_block(rows: Sequence[dict[str, Any]], problems: Sequence[Any], standings: str | None,
                 rule: rating.Rule = "per_sample", all_ratings: str | None = None) -> dict[str, Any]:
    """The "rating" entry of a Codeforces run's results (module docstring); raises RatingDataError on bad data."""
    if not standings:
        return {"rule": rule, "needs": NEEDS}
    contests = load_standings(standings)
    results = verdicts_by_contest(rows, problems)
    rated = [(c, results[str(c.contest_id)]) for c in contests if str(c.contest_id) in results]
    if not rated:
        raise rating.RatingDataError(
            f"{standings}: none of its contests {sorted(str(c.contest_id) for c in contests)} has samples in this run "
            f"(its problems are from contests {sorted(results)}); fix: name the standings of the contests you ran")
    if all_ratings is None and Path(standings).is_dir() and (Path(standings) / ALL_RATINGS_NAME).is_file():
        all_ratings = str(Path(standings) / ALL_RATINGS_NAME)
    report = rating.rate(rated, rule=rule, all_ratings=rating.load_ratings(all_ratings) if all_ratings else None)
    return {
        "rule": rule, "value": report.rating, "interval": [report.spread_min, report.spread_max],
        "std": report.spread_std, "percentile": report.percentile, "contests": len(rated),
        "per_contest": {cid: list(v) for cid, v in report.per_contest.items()},
        "ranks": {cid: list(v) for cid, v in report.ranks.items()}, "per_sample": list(report.per_sample),
        "standings": str(standings), "all_ratings": all_ratings,
        "unrated_contests": sorted(set(results) - {str(c.contest_id) for c, _ in rated}),
        "contests_without_samples": sorted(str(c.contest_id) for c in contests if str(c.contest_id) not in results),
    }
