"""All text signals of one completion in one pass: language, format, repetition, readability.

    text_signals(completion, prompt=question)  ->  {"language": Verdict, "format": Verdict, ...}

The same verdicts serve three uses: per-sample metrics in evaluation (stored beside the answer
verdict, under the verifier names below and SIGNALS_VERSION), filters in curation, and rewards in
training. Each is also a registry kind on its own (`verify_language`, `verify_format` ...).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .format_check import Template, verify_format
from .language import language_consistency, language_verdict, reasoning_of
from .readability import Thresholds, readability, readability_verdict
from .registry import VERIFIERS
from .repetition import MIN_REPEATS, MIN_TOKENS, verify_repetition
from .verdict import Verdict

# the registry's kinds that are not rule-based, in its order: text_signals computes each of them
SIGNALS: tuple[str, ...] = tuple(k.name for k in VERIFIERS.values() if not k.rule_based)


@dataclass(frozen=True)
class SignalOptions:
    template: Template = "r1"
    require_boxed: bool = False
    target_language: str | None = None  # None: the language of the prompt's question (language.question_of)
    thresholds: Thresholds = field(default_factory=Thresholds)
    loop_min_repeats: int = MIN_REPEATS
    loop_min_tokens: int = MIN_TOKENS


def text_signals(completion: str, *, prompt: str | list[dict[str, str]] | None = None, think_prefilled: bool = False,
                 finish_reason: str | None = None, options: SignalOptions = SignalOptions()) -> dict[str, Verdict]:
    """The four signal verdicts of ``completion`` (the reasoning is read once)."""
    reasoning = reasoning_of(completion, think_prefilled)
    language = language_consistency(reasoning, options.target_language, prompt=prompt)
    return {
        "language": language_verdict(language, 1 - options.thresholds.max_mixed_language),
        "format": verify_format(completion, template=options.template, think_prefilled=think_prefilled,
                                require_boxed=options.require_boxed, finish_reason=finish_reason),
        # Repetition is measured on the chain of thought, as the other readability signals are (and as
        # curation always did): a completion that loops until the token limit never closed its thinking,
        # so its reasoning is the whole completion and the loop is found either way; a trace that loops
        # and then escapes to answer is only found here (the tail of the whole completion is the answer).
        # One measure for evaluation, curation and rewards (issue 17).
        "repetition": verify_repetition(reasoning, min_repeats=options.loop_min_repeats,
                                        min_tokens=options.loop_min_tokens),
        "readability": readability_verdict(readability(reasoning, options.thresholds, language=language)),
    }

