"""The verifier kinds, one record each in one literal dict: what a kind is and what it can do.

Each kind's function takes (completion, reference, **options) and returns a Verdict. Evaluation
(evals.scoring), curation (curation.verify, curation.ingest) and the GRPO rewards
(training.rewards) read a kind's abilities from its record here, never from a list of names of
their own, so adding a kind is one verifier module plus one line below.
Names are resolved lazily, so importing the registry imports no verifier (and no sympy).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any, Literal

Equivalence = Literal["math", "integer", "letter", "exact"]


@dataclass(frozen=True)
class VerifierKind:
    name: str
    target: str  # "module:function", imported on first use
    reference: str  # what the reference is, in words (shown in --help)
    # a rule-based verdict decides correctness: it is evaluation's answer verdict, curation's keep or
    # drop, and the accuracy reward. The text signals are not rule-based.
    rule_based: bool = False
    reference_is_text: bool = False  # the reference is one string (a JSONL field can hold it: `evals verify`)
    wants_boxed: bool = False  # its prompts ask for \boxed{}, so the format check asks for it too
    takes_think_prefilled: bool = False  # told whether the chat template opened <think>
    # takes `require_evaluated` (math_evaluated's policy: `\boxed{4+5}` for 9 is equal but
    # unevaluated). Evaluation leaves it off; the training reward and curation turn it on, so a
    # policy is never paid for restating the question.
    takes_require_evaluated: bool = False
    equivalence: Equivalence = "exact"  # how cons@k groups two extracted answers (evals.results.equivalence)


VERIFIERS: dict[str, VerifierKind] = {k.name: k for k in (
    VerifierKind("math", "evals.verifiers.math_verifier:verify_math", "answer (LaTeX or plain text)", rule_based=True,
                 reference_is_text=True, wants_boxed=True, takes_think_prefilled=True, takes_require_evaluated=True,
                 equivalence="math"),
    # AIME is strict whatever `require_evaluated` says (an integer 0-999)
    VerifierKind("aime", "evals.verifiers.math_verifier:verify_aime", "integer 0-999", rule_based=True,
                 reference_is_text=True, wants_boxed=True, takes_think_prefilled=True, takes_require_evaluated=True,
                 equivalence="integer"),
    VerifierKind("choice", "evals.verifiers.choice:verify_choice", "gold letter (n_options in the options)",
                 rule_based=True, reference_is_text=True, takes_think_prefilled=True, equivalence="letter"),
    # the code judge (evals/judge/: programs run in its sandbox) seen as a verifier
    VerifierKind("code", "evals.judge.verifier:verify_code", "code problem (statement, tests, limits)",
                 rule_based=True, takes_think_prefilled=True, equivalence="exact"),
    # text signals: read the completion only (the reference, if any, names the target language)
    VerifierKind("language", "evals.verifiers.language:verify_language", "target language (optional)",
                 takes_think_prefilled=True),
    VerifierKind("format", "evals.verifiers.format_check:verify_format", "none", takes_think_prefilled=True),
    VerifierKind("repetition", "evals.verifiers.repetition:verify_repetition", "none"),
    VerifierKind("readability", "evals.verifiers.readability:verify_readability", "none", takes_think_prefilled=True),
)}


def kind_of(name: str) -> VerifierKind:
    """The record of ``name``, or of a "module:function" path (the escape hatch: not rule-based,
    takes no options, and cons@k groups its answers with the math verifier as before)."""
    if name in VERIFIERS:
        return VERIFIERS[name]
    if ":" in name:
        return VerifierKind(name, name, "any", equivalence="math")
    raise ValueError(f"unknown verifier kind {name!r}; use one of {sorted(VERIFIERS)} or 'module:function'")


def is_rule_based(name: str) -> bool:
    """Whether ``name``'s verdict decides correctness (False for unknown names and dotted paths)."""
    kind = VERIFIERS.get(name)
    return kind is not None and kind.rule_based


def rule_kinds() -> tuple[str, ...]:
    """The rule-based kinds, in registry order (what a prompt may name to be verified)."""
    return tuple(k.name for k in VERIFIERS.values() if k.rule_based)


def text_reference_kinds() -> tuple[str, ...]:
    """The rule-based kinds whose reference is one string (what `python -m evals verify` can check)."""
    return tuple(k.name for k in VERIFIERS.values() if k.rule_based and k.reference_is_text)


def answer_options(kind: str, *, require_evaluated: bool | None = None,
                   think_prefilled: bool | None = None) -> dict[str, Any]:
    """The options a caller's settings add for ``kind``: only those it takes (None: not set)."""
    record = kind_of(kind)
    opts: dict[str, Any] = {}
    if think_prefilled is not None and record.takes_think_prefilled:
        opts["think_prefilled"] = think_prefilled
    if require_evaluated is not None and record.takes_require_evaluated:
        opts["require_evaluated"] = require_evaluated
    return opts


def resolve(kind: str) -> Callable[..., Any]:
    """The verifier function for ``kind`` (or a "module:function" dotted path)."""
    module, _, name = kind_of(kind).target.partition(":")
    return getattr(import_module(module), name)
