"""The truth layer: verifiers shared by evaluation, curation and training rewards.

The public surface, small on purpose:
- bounded calls (a worker process, a hard time limit): `verify`, `verify_batch`, `VerifierPool`;
- the pure verifiers, in-process: `verify_math`, `verify_aime`, `verify_choice`;
- what they return: `Verdict`, its closed vocabulary `REASONS`, and `VERIFIER_VERSION` /
  `SIGNALS_VERSION` (stored with every verdict);
- the text signals: `text_signals` (all four verdicts), and the measures `language_consistency`,
  `check_format`, `repetition`, `readability`;
- `split_answer_region`: the part of a completion after the reasoning, the one verifiers read.
Everything else (extraction, choice shuffling, signal options, the registry of kinds) is imported
from its submodule, e.g. `evals.verifiers.extract`, `evals.verifiers.registry`; code inside this
project does the same.

The math verifiers load sympy, so they are imported on first use (`verify_math`, `verify_aime`):
importing this package, or its registry, stays light.
"""
from typing import Any

from .answer_region import split_answer_region
from .choice import verify_choice
from .format_check import check_format
from .language import language_consistency
from .pool import VerifierPool, verify, verify_batch
from .readability import readability
from .repetition import repetition
from .signals import text_signals
from .verdict import REASONS, SIGNALS_VERSION, VERIFIER_VERSION, Verdict

__all__ = [
    "REASONS",
    "SIGNALS_VERSION",
    "VERIFIER_VERSION",
    "Verdict",
    "VerifierPool",
    "check_format",
    "language_consistency",
    "readability",
    "repetition",
    "split_answer_region",
    "text_signals",
    "verify",
    "verify_aime",
    "verify_batch",
    "verify_choice",
    "verify_math",
]


def __getattr__(name: str) -> Any:
    if name in ("verify_aime", "verify_math"):
        from . import math_verifier

        return getattr(math_verifier, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
