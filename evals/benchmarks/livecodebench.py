"""LiveCodeBench code generation (Jain et al., 2024, arXiv:2403.07974), as DeepSeek-R1 reports it.

R1 reports pass@1 ("Pass@1-COT") on problems whose contest date lies in 2024-08 .. 2025-01; the paper
gives no k for it ("typically between 4 and 64"), so k = 16, the same as its Codeforces runs.

Data: the Hub dataset livecodebench/code_generation_lite (no loading script: its JSONL release files
are fetched with huggingface_hub; release_vN = test.jsonl .. testN.jsonl, "vN" = testN.jsonl alone;
at the commit pinned in evals.benchmarks.hub, overridable with --data-revision livecodebench=REV; the
run manifest records the commit resolved), or a local file of rows in that format,
`--data livecodebench=PATH` (JSONL, JSON or parquet). Private tests are
decoded by evals.judge.problems, which refuses any pickle naming a class or function.

Prompts are LiveCodeBench's own (lcb_runner/prompts/code_generation.py): its generic system message
and question template in one user turn, as LCB sends them to reasoning models (no system prompt,
R1's advice); the functional (LeetCode) form shows the starter code. Run:
`python -m evals run --model M --benchmarks livecodebench --data livecodebench=test5.jsonl`.
Other windows or releases: `make_livecodebench(release=..., start=..., end=...)` named as
module:ATTRIBUTE on the command line.
"""
from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from evals.judge.problems import ProblemError, from_livecodebench
from evals.records import read_records

from . import hub
from .base import Benchmark, Problem

HUB_ID = "livecodebench/code_generation_lite"
RELEASES = 6  # release_v1 .. release_v6
PAPER_WINDOW = ("2024-08-01", "2025-01-31")  # inclusive, on the contest's calendar date

SYSTEM_MESSAGE = ("You are an expert Python programmer. You will be given a question (problem specification) "
                  "and will generate a correct Python program that matches the specification and passes all tests.")
FORMAT_STARTER = ("You will use the following starter code to write the solution to the problem and enclose your "
                  "code within delimiters.")
FORMAT_STDIN = ("Read the inputs from stdin solve the problem and write the answer to stdout (do not directly test "
                "on the sample inputs). Enclose your code within delimiters as follows. Ensure that when the python "
                "program runs, it reads the inputs, runs the algorithm and writes output to STDOUT.")


def lcb_prompt(question: str, starter_code: str = "") -> str:
    """LCB's generic question template, preceded by its system message (LCB's OpenAIReasonPreview style)."""
    prompt = f"{SYSTEM_MESSAGE}\n\n### Question:\n{question}\n\n"
    if starter_code:
        prompt += f"### Format: {FORMAT_STARTER}\n```python\n{starter_code}\n```\n\n"
    else:
        prompt += f"### Format: {FORMAT_STDIN}\n```python\n# YOUR CODE HERE\n```\n\n"
    return prompt + "### Answer: (use the provided format with backticks)\n\n"


def release_files(release: str) -> list[str]:
    """The Hub files of a release: "release_v5" -> test.jsonl .. test5.jsonl; "v5" -> test5.jsonl."""
    tag = {"release_latest": f"release_v{RELEASES}"}.get(release, release)
    cumulative, _, number = tag.rpartition("v")
    if cumulative not in ("release_", "") or not number.isdigit() or not 1 <= int(number) <= RELEASES:
        raise ValueError(f"unknown LiveCodeBench release {release!r}; use release_v1..release_v{RELEASES}, "
                         f"release_latest, or v1..v{RELEASES} (one release's new problems)")
    files = [f"test{n if n > 1 else ''}.jsonl" for n in range(1, int(number) + 1)]
    return files if cumulative else files[-1:]


def _hub_files(name: str, release: str, default: str | None) -> list[str]:
    """The release's files, downloaded once into the Hub cache, all from one commit."""
    files = release_files(release)
    rev, chosen_by = hub.revision(name, HUB_ID, default)
    try:
        from huggingface_hub import snapshot_download

        folder = snapshot_download(HUB_ID, repo_type="dataset", revision=rev, allow_patterns=files)
    except Exception as exc:  # offline, missing package, no such revision: all need the same advice
        raise FileNotFoundError(
            f"LiveCodeBench could not be loaded from the Hub ({HUB_ID}, {release}, revision {rev}): "
            f"{type(exc).__name__}: {str(exc).rstrip('.')}. Download {', '.join(files)} where the "
            f"Hub is reachable, concatenate them (cat test*.jsonl > lcb.jsonl) and pass --data {name}=lcb.jsonl "
            f"(--data {name}=PATH takes JSONL or parquet rows of code_generation_lite)."
        ) from exc
    missing = [f for f in files if not (Path(folder) / f).is_file()]
    if missing:
        raise FileNotFoundError(f"LiveCodeBench revision {rev} of {HUB_ID} has no {missing}; pick a revision "
                                f"that has release {release} (--data-revision {name}=REV)")
    hub.record(name, repo=HUB_ID, files=files, revision_asked=rev, chosen_by=chosen_by,
               revision_resolved=hub.snapshot_commit(folder))
    return [str(Path(folder) / f) for f in files]


def _day(value: str | None, what: str) -> date | None:
    try:
        return None if value is None else date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"LiveCodeBench {what} date {value!r} is not YYYY-MM-DD") from exc


def _contest_day(row: dict[str, Any], where: str) -> date:
    value = row.get("contest_date")
    if isinstance(value, datetime):  # parquet readers may hand back timestamps
        return value.date()
    try:
        return datetime.fromisoformat(str(value)).date()
    except ValueError as exc:
        raise ProblemError(f"{where}: field 'contest_date' is {value!r}, not an ISO date; fix the row") from exc


def _problem(row: dict[str, Any], where: str) -> Problem:
    try:
        code = from_livecodebench(row)
    except ProblemError as exc:
        raise ProblemError(f"{where}: {exc}") from exc
    starter = row.get("starter_code") or ""
    question = row.get("question_content") or ""
    metadata = {k: code.metadata.get(k) for k in ("difficulty", "platform", "contest_date", "question_title")}
    return Problem(code.id, question, ({"role": "user", "content": lcb_prompt(question, starter)},),
                   code.to_dict(), metadata, {"language": "python"})


def make_loader(name: str = "livecodebench", release: str = "release_v5", start: str | None = PAPER_WINDOW[0],
                end: str | None = PAPER_WINDOW[1], revision: str | None = None):
    """A loader keeping problems whose contest date is within [start, end] (inclusive; None: open)."""
    first, last = _day(start, "start"), _day(end, "end")
    release_files(release)  # fail at definition, not mid-run

    def load(data_files: dict[str, str]) -> list[Problem]:
        path = data_files.get(name)
        files = [path] if path else _hub_files(name, release, revision)
        kept, seen = [], 0
        for source, number, row in ((f, n, row) for f in files for n, row in read_records(f)):  # streamed: GBs
            seen += 1
            if not isinstance(row, dict):
                raise ProblemError(f"{source}:{number}: not an object; expected a code_generation_lite row")
            where = f"{source}:{number} (question_id {row.get('question_id')!r})"
            day = _contest_day(row, where)
            if (first is None or first <= day) and (last is None or day <= last):
                if isinstance(row.get("contest_date"), datetime):  # keep the reference JSON-serialisable
                    row = {**row, "contest_date": row["contest_date"].isoformat()}
                kept.append((day.isoformat(), str(row.get("question_id")), _problem(row, where)))
        print(f"[{name}] {len(kept)} of {seen} problems dated {start or '...'} to {end or '...'}",
              file=sys.stderr)
        ids = [p.id for _, _, p in kept]
        if len(set(ids)) != len(ids):
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            raise ProblemError(f"{path or HUB_ID}: question_id {dupes} appear twice; keep one row each")
        return [p for _, _, p in sorted(kept, key=lambda t: t[:2])]

    return load


def make_livecodebench(release: str = "release_v5", start: str | None = PAPER_WINDOW[0],
                       end: str | None = PAPER_WINDOW[1], revision: str | None = None,
                       name: str = "livecodebench") -> Benchmark:
    """LiveCodeBench over another release or date window; the registered one is the paper's."""
    return Benchmark(
        name=name,
        verifier="code",
        default_samples=16,
        load=make_loader(name, release, start, end, revision),
        source=f"Hub {HUB_ID} ({release}, {hub.describe(name, HUB_ID, revision)}; contest dates "
               f"{start or '...'}..{end or '...'}) or --data {name}=PATH",
        breakdowns=("difficulty",),
    )


LIVECODEBENCH = make_livecodebench()
