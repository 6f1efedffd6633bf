"""AIME 2024 and AIME 2025 (30 problems each, integer answers 0-999).

Data: the pinned copies in evals/data (aime24.jsonl, aime25.jsonl; sha256 in manifest.json,
provenance in evals/data/README.md). R1 reports pass@1 over k = 64 samples and cons@64.
The files' prompts already end with the R1 instruction; we strip it and add it back in one place.
"""
from __future__ import annotations

from evals.data import data_path
from evals.records import read_records

from .base import R1_INSTRUCTION, Benchmark, Problem, user_prompt


def _loader(filename: str, prefix: str):
    def load(data_files: dict[str, str]) -> list[Problem]:
        path = data_files.get(prefix) or str(data_path(filename))
        problems = []
        for i, row in enumerate(row for _, row in read_records(path)):
            if "prompt" not in row or "answer" not in row:
                raise ValueError(f"{path}: record {i + 1} lacks 'prompt' or 'answer'")
            text = row["prompt"].strip().removesuffix(R1_INSTRUCTION).strip()
            problems.append(Problem(f"{prefix}-{i:02d}", text, user_prompt(text), int(row["answer"])))
        return problems

    return load


def _aime(year: str, sha: str) -> Benchmark:
    return Benchmark(
        name=f"aime{year}",
        verifier="aime",
        default_samples=64,
        load=_loader(f"aime{year}.jsonl", f"aime{year}"),
        source=f"evals/data/aime{year}.jsonl (AIME 20{year} I+II), sha256 {sha}…",
        data_file=f"aime{year}.jsonl",
    )


AIME24 = _aime("24", "5a7a8178")
AIME25 = _aime("25", "9da60057")
