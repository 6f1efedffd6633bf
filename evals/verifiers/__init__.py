"""The truth layer: verifiers shared by evaluation, curation and training rewards.

The math verifiers load sympy, so they are imported on first use (`verify_math`, `verify_aime`):
importing this package, or its registry, stays light.
"""
from typing import Any

from .answer_region import AnswerRegion, split_answer_region
from .choice import ShuffledChoices, extract_choice, format_choice_prompt, shuffle_options, verify_choice
from .extract import Extraction, extract_answer
from .format_check import check_format, verify_format
from .language import (detect_language, language_consistency, plain_word_ratio, question_language, question_of,
                       verify_language)
from .pool import DEFAULT_TIMEOUT_S, VerifierPool, default_pool, verify, verify_batch
from .readability import Thresholds, readability, verify_readability
from .repetition import repetition, verify_repetition
from .signals import SIGNALS, SignalOptions, text_signals
from .verdict import REASONS, SIGNALS_VERSION, VERIFIER_VERSION, Verdict

__all__ = [
    "DEFAULT_TIMEOUT_S",
    "VerifierPool",
    "default_pool",
    "verify",
    "verify_batch",
    "AnswerRegion",
    "Extraction",
    "REASONS",
    "VERIFIER_VERSION",
    "Verdict",
    "ShuffledChoices",
    "extract_answer",
    "extract_choice",
    "format_choice_prompt",
    "shuffle_options",
    "verify_choice",
    "split_answer_region",
    "verify_aime",
    "verify_math",
    "SIGNALS",
    "SIGNALS_VERSION",
    "SignalOptions",
    "Thresholds",
    "check_format",
    "detect_language",
    "language_consistency",
    "question_language",
    "question_of",
    "plain_word_ratio",
    "readability",
    "repetition",
    "text_signals",
    "verify_format",
    "verify_language",
    "verify_readability",
    "verify_repetition",
]


def __getattr__(name: str) -> Any:
    if name in ("verify_aime", "verify_math"):
        from . import math_verifier

        return getattr(math_verifier, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
