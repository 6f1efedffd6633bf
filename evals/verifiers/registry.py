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


# The verifiers that take `require_evaluated` (math_evaluated's policy: `\boxed{4+5}` for 9 is
# equal but unevaluated). Evaluation leaves it off; the training reward and curation turn it on,
# so a policy is never paid for restating the question. AIME is strict whatever the option.
EVALUATED_KINDS: tuple[str, ...] = ("math", "aime")


def answer_options(kind: str, *, require_evaluated: bool) -> dict[str, Any]:
    """The verifier options a caller's setting adds for ``kind`` (none for kinds without it)."""
    return {"require_evaluated": require_evaluated} if kind in EVALUATED_KINDS else {}


def resolve(kind: str) -> Callable[..., Any]:
    """The verifier function for ``kind`` (or a "module:function" dotted path)."""
    target = VERIFIERS.get(kind, kind)
    module, sep, name = target.partition(":")
    if not sep:
        raise ValueError(f"unknown verifier kind {kind!r}; use one of {sorted(VERIFIERS)} or 'module:function'")
    return getattr(import_module(module), name)
