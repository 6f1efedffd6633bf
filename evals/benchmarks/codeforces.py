"""Codeforces problems from open-r1/codeforces (Open R1, 2025), judged on their official tests.

DeepSeek-R1 reports a Codeforces rating over 10 Div. 2 contests with k = 16 samples; that rating
needs contest standings (evals.judge.rating), while this benchmark scores pass@1 per problem, the
quantity the rating is built from. k = 16 as in the paper.

Data: the Hub dataset open-r1/codeforces (parquet, loaded with `datasets`, split "test" by default, at
the commit pinned in evals.benchmarks.hub, overridable with --data-revision codeforces=REV; the run
manifest records the commit resolved) or a local file of its rows, `--data codeforces=PATH` (JSONL,
JSON or parquet).
Rows become problems through evals.judge.problems.from_codeforces. Skipped, counted and reported on
stderr: rows without official tests (nothing to judge on), interactive problems whose row has no
`interactor` source (those with one are judged by it, evals.judge.interaction, and by the row's
`generated_checker` on the interactor's tout when the row has both) and problems that
read or write files instead of stdin/stdout. Rows whose official
tests are truncated (official_tests_complete false) are kept, and counted.

The prompt asks for one C++17 program in a ```cpp block (open-r1 judges Codeforces in C++);
`make_codeforces(language="python")` asks for Python 3 instead. verify_opts carries the language.
Run: `python -m evals run --model M --benchmarks codeforces --data codeforces=test.parquet`.
"""
from __future__ import annotations

import sys
from collections import Counter
from typing import Any

from evals.judge.problems import CodeProblem, ProblemError, from_codeforces
from evals.records import read_records

from . import hub
from .base import Benchmark, Problem

HUB_ID = "open-r1/codeforces"
LANGUAGES = {"cpp": ("C++17", "cpp"), "python": ("Python 3", "python")}  # language -> (name, fence tag)


def codeforces_prompt(problem: CodeProblem, language: str = "cpp") -> str:
    """Our wording: reason, then one complete program in one fenced block; limits after the statement."""
    name, tag = LANGUAGES[language]
    interactive = ("This is an interactive problem: the program talks to the jury's interactor through standard "
                   "input and output, as the Interaction section says; flush the output after every line it prints.\n\n"
                   if problem.interactive else "")
    return (
        f"Solve the following competitive programming problem. Think it through, then write a complete {name} "
        "program that solves it within the limits.\n\n"
        "The program must read from standard input and write to standard output, printing nothing but the "
        f"answer (no prompts, no debug output).\n\n{interactive}"
        f"Put the whole final program in a single code block:\n```{tag}\n<your code here>\n```\n\n"
        f"# Problem\n\n{problem.statement}\n\n"
        f"Time limit per test: {problem.time_limit_s:g} seconds\nMemory limit per test: {problem.memory_mb} megabytes\n"
    )


def rating_band(rating: Any) -> str:
    """400-point bands (800-1199, ..., 2800+) so per-rating tables have enough problems per row."""
    if not isinstance(rating, (int, float)) or isinstance(rating, bool) or rating <= 0:
        return "unrated"
    low = max(800, int(rating) // 400 * 400)
    return "2800+" if low >= 2800 else f"{low}-{low + 399}"


def _skip_reason(row: dict[str, Any]) -> str | None:
    if row.get("interaction_format") and not row.get("interactor"):
        return "interactive without an interactor"  # open-r1 rows carry one in `interactor` where known
    if not row.get("official_tests"):
        return "no official tests"
    if row.get("input_mode") not in (None, "", "stdio"):
        return f"file input ({row['input_mode']})"
    return None


def _read_hub(name: str, split: str, default: str | None) -> list[tuple[str, int, Any]]:
    rev, chosen_by = hub.revision(name, HUB_ID, default)
    try:
        rows, commit = hub.load_split(HUB_ID, None, split, rev)
    except Exception as exc:  # offline, datasets missing, no such split or revision: all need the same advice
        raise FileNotFoundError(
            f"Codeforces problems could not be loaded from the Hub ({HUB_ID}, split {split}, revision {rev}): "
            f"{type(exc).__name__}: {str(exc).rstrip('.')}. Download the split's parquet file where the Hub is reachable and pass "
            f"it with --data {name}=PATH (JSONL or parquet rows of open-r1/codeforces)."
        ) from exc
    hub.record(name, repo=HUB_ID, split=split, revision_asked=rev, chosen_by=chosen_by, revision_resolved=commit)
    return [(f"{HUB_ID}@{commit[:12]}[{split}]", number, row) for number, row in enumerate(rows, 1)]


def _problem(row: dict[str, Any], where: str, language: str) -> Problem:
    try:
        code = from_codeforces(row)
    except ProblemError as exc:
        raise ProblemError(f"{where}: {exc}") from exc
    metadata = {"rating": row.get("rating"), "rating_band": rating_band(row.get("rating")),
                "contest_id": row.get("contest_id"), "index": row.get("index")}
    prompt = codeforces_prompt(code, language)
    return Problem(code.id, code.statement, ({"role": "user", "content": prompt},), code.to_dict(), metadata,
                   {"language": language})


def make_loader(name: str = "codeforces", language: str = "cpp", split: str = "test", revision: str | None = None):
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r} for {name}; use one of {sorted(LANGUAGES)}")

    def load(data_files: dict[str, str]) -> list[Problem]:
        path = data_files.get(name)
        records = [(path, n, row) for n, row in read_records(path)] if path else _read_hub(name, split, revision)
        problems, skipped, incomplete = [], Counter(), 0
        for source, number, row in records:
            if not isinstance(row, dict):
                raise ProblemError(f"{source}:{number}: not an object; expected a row of {HUB_ID}")
            reason = _skip_reason(row)
            if reason:
                skipped[reason] += 1
                continue
            incomplete += row.get("official_tests_complete") is False
            problems.append(_problem(row, f"{source}:{number} (id {row.get('id')!r})", language))
        ids = [p.id for p in problems]
        if len(set(ids)) != len(ids):
            raise ProblemError(f"{path or HUB_ID}: ids {sorted({i for i in ids if ids.count(i) > 1})} appear twice")
        detail = ", ".join(f"{n} {why}" for why, n in skipped.most_common()) or "none"
        print(f"[{name}] {len(problems)} of {len(records)} problems kept; skipped: {detail}; "
              f"{incomplete} kept with truncated official tests", file=sys.stderr)
        return problems

    return load


def make_codeforces(language: str = "cpp", split: str = "test", revision: str | None = None,
                    name: str = "codeforces") -> Benchmark:
    """Codeforces in another language or split; the registered one asks for C++17 on the test split."""
    return Benchmark(
        name=name,
        verifier="code",
        default_samples=16,
        load=make_loader(name, language, split, revision),
        source=f"Hub {HUB_ID} (split {split}, {hub.describe(name, HUB_ID, revision)}) or --data {name}=PATH",
        breakdowns=("rating_band",),
    )


CODEFORCES = make_codeforces()
