"""The verifier kinds, in one literal dict: kind -> "module:function".

Each function takes (completion, reference, **options) and returns a Verdict.
Names are resolved lazily, so importing the registry imports no verifier.
"""
from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

VERIFIERS: dict[str, str] = {
    "math": "evals.verifiers.math_verifier:verify_math",
    "aime": "evals.verifiers.math_verifier:verify_aime",
    "choice": "evals.verifiers.choice:verify_choice",
    "code": "evals.judge.verifier:verify_code",
    # text signals: read the completion only (the reference, if any, names the target language)
    "language": "evals.verifiers.language:verify_language",
    "format": "evals.verifiers.format_check:verify_format",
    "repetition": "evals.verifiers.repetition:verify_repetition",
    "readability": "evals.verifiers.readability:verify_readability",
}


def resolve(kind: str) -> Callable[..., Any]:
    """The verifier function for ``kind`` (or a "module:function" dotted path)."""
    target = VERIFIERS.get(kind, kind)
    module, sep, name = target.partition(":")
    if not sep:
        raise ValueError(f"unknown verifier kind {kind!r}; use one of {sorted(VERIFIERS)} or 'module:function'")
    return getattr(import_module(module), name)
