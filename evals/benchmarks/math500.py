"""MATH-500: the 500-problem test split of MATH used by "Let's Verify Step by Step" (PRM800K).

Data: the pinned copy evals/data/math500.jsonl (sha256 35dc4108…, identical to the Hub's
HuggingFaceH4/MATH-500 and openai/prm800k math_splits/test.jsonl). R1 reports pass@1 with k = 4.
Breakdowns by subject and level.
"""
from __future__ import annotations

from evals.data import data_path
from evals.records import read_records

from .base import Benchmark, Problem, user_prompt


def load(data_files: dict[str, str]) -> list[Problem]:
    path = data_files.get("math500") or str(data_path("math500.jsonl"))
    problems = []
    for i, row in enumerate(row for _, row in read_records(path)):
        missing = {"problem", "answer"} - set(row)
        if missing:
            raise ValueError(f"{path}: record {i + 1} lacks {sorted(missing)}")
        metadata = {"subject": row.get("subject"), "level": f"Level {row['level']}" if "level" in row else None}
        pid = row.get("unique_id") or f"math500-{i:03d}"
        problems.append(Problem(pid, row["problem"], user_prompt(row["problem"]), row["answer"], metadata))
    return problems


MATH500 = Benchmark(
    name="math500",
    verifier="math",
    default_samples=4,
    load=load,
    source="evals/data/math500.jsonl (PRM800K test split of MATH), sha256 35dc4108…",
    breakdowns=("subject", "level"),
    data_file="math500.jsonl",
)
