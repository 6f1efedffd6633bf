"""Benchmarks: one module each, listed in one dict. Nothing registers itself on import.

Add a benchmark by writing one module that defines a `Benchmark` and adding it here, or name any
`package.module:ATTRIBUTE` on the command line (the escape hatch for private benchmarks).
"""
from __future__ import annotations

import importlib

from .aime import AIME24, AIME25
from .base import PROMPT_VERSION, R1_INSTRUCTION, Benchmark, Problem
from .codeforces import CODEFORCES
from .gpqa import GPQA_DIAMOND
from .livecodebench import LIVECODEBENCH
from .math500 import MATH500

BENCHMARKS: dict[str, Benchmark] = {
    b.name: b for b in (AIME24, AIME25, MATH500, GPQA_DIAMOND, LIVECODEBENCH, CODEFORCES)
}

__all__ = ["BENCHMARKS", "Benchmark", "Problem", "PROMPT_VERSION", "R1_INSTRUCTION", "get_benchmark"]


def get_benchmark(name: str) -> Benchmark:
    if name in BENCHMARKS:
        return BENCHMARKS[name]
    if ":" in name:
        module, _, attr = name.partition(":")
        found = getattr(importlib.import_module(module), attr, None)
        if isinstance(found, Benchmark):
            return found
        raise ValueError(f"{name!r} is not a Benchmark (expected module:ATTRIBUTE naming one)")
    raise ValueError(f"unknown benchmark {name!r}; known: {', '.join(BENCHMARKS)} (or module:ATTRIBUTE)")
