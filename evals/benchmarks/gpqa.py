"""GPQA Diamond: 198 graduate-level multiple-choice questions (Rein et al., 2023, arXiv:2311.12022).

Data: the gated Hub dataset Idavidrein/gpqa (config gpqa_diamond, split train, at the commit pinned in
evals.benchmarks.hub, overridable with --data-revision gpqa_diamond=REV; the run manifest records the
commit resolved), or a local file the user names with `--data gpqa_diamond=PATH` (the official gpqa_diamond.csv, or JSONL/parquet with
the same columns). Its authors ask that the questions never appear in plain text online, so this
project never stores them; tests use synthetic items.

Options are shuffled from a hash of the question (evals.verifiers.choice.shuffle_options), so the
letters are the same on every run and every re-score. R1 reports pass@1 with k = 8.
"""
from __future__ import annotations

from evals.records import read_records
from evals.verifiers.choice import format_choice_prompt, shuffle_options

from . import hub
from .base import Benchmark, Problem

HUB_ID, HUB_CONFIG = "Idavidrein/gpqa", "gpqa_diamond"
COLUMNS = ("Question", "Correct Answer", "Incorrect Answer 1", "Incorrect Answer 2", "Incorrect Answer 3")


def _read_hub() -> list[dict]:
    rev, chosen_by = hub.revision("gpqa_diamond", HUB_ID)
    try:
        rows, commit = hub.load_split(HUB_ID, HUB_CONFIG, "train", rev)
    except Exception as exc:  # gated, offline, or datasets missing: all need the same advice
        raise FileNotFoundError(
            f"GPQA Diamond could not be loaded from the Hub ({HUB_ID}, {HUB_CONFIG}, revision {rev}): {exc}. Accept "
            "its terms on the Hub and log in, or pass a local copy with --data gpqa_diamond=PATH (gpqa_diamond.csv)."
        ) from exc
    hub.record("gpqa_diamond", repo=HUB_ID, config=HUB_CONFIG, split="train", revision_asked=rev,
               chosen_by=chosen_by, revision_resolved=commit)
    return list(rows)


def load(data_files: dict[str, str]) -> list[Problem]:
    path = data_files.get("gpqa_diamond")
    rows = [row for _, row in read_records(path)] if path else _read_hub()
    problems = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise ValueError(f"{path or HUB_ID}: record {i + 1} is not an object with columns {COLUMNS}")
        missing = [c for c in COLUMNS if row.get(c) is None or not str(row[c]).strip()]  # 0 is an answer
        if missing:
            raise ValueError(f"{path or HUB_ID}: record {i + 1} lacks {missing}; GPQA files need columns {COLUMNS}")
        question = str(row["Question"]).strip()
        options = [str(row[c]).strip() for c in COLUMNS[1:]]
        shuffled = shuffle_options(question, options, 0)
        prompt = format_choice_prompt(question, shuffled.options)
        metadata = {"domain": row.get("High-level domain"), "subdomain": row.get("Subdomain"),
                    "permutation": list(shuffled.permutation)}
        pid = str(row.get("Record ID") or f"gpqa-{i:03d}")
        problems.append(Problem(pid, question, ({"role": "user", "content": prompt},), shuffled.gold_letter,
                                metadata, {"n_options": len(options)}))
    return problems


GPQA_DIAMOND = Benchmark(
    name="gpqa_diamond",
    verifier="choice",
    default_samples=8,
    load=load,
    source=f"Hub {HUB_ID} ({HUB_CONFIG}, split train, {hub.describe('gpqa_diamond', HUB_ID)}) or "
           "--data gpqa_diamond=PATH; never stored",
    breakdowns=("domain",),
)
