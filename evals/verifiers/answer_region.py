"""Split a completion into its reasoning and its answer region.

The answer is read only after the last ``</think>``. A completion that opened
thinking and never closed it, or that stopped at the token limit, is truncated:
it is scored wrong and never searched for numbers inside its reasoning.
"""
from __future__ import annotations

from dataclasses import dataclass

THINK_OPEN = "<think>"
THINK_CLOSE = "</think>"
# finish reasons that mean "stopped by the length limit" across engines
LENGTH_FINISH_REASONS = frozenset({"length", "max_tokens", "max_length"})


@dataclass(frozen=True)
class AnswerRegion:
    reasoning: str  # text before the last </think> ("" when there is none)
    answer: str  # text after the last </think> (the whole text when no thinking)
    truncated: bool
    has_thinking: bool  # a </think> was found


def split_answer_region(
    completion: str,
    *,
    finish_reason: str | None = None,
    think_prefilled: bool = False,
) -> AnswerRegion:
    """Separate reasoning from answer at the last ``</think>``.

    ``think_prefilled`` says the chat template already opened ``<think>`` in the
    prompt (as the R1 distills' templates do), so a completion without
    ``</think>`` never closed its thinking.
    """
    cut = completion.rfind(THINK_CLOSE)
    if cut >= 0:
        reasoning = completion[:cut]
        answer = completion[cut + len(THINK_CLOSE):]
        has_thinking = True
    else:
        reasoning, answer, has_thinking = "", completion, False
    never_closed = not has_thinking and (think_prefilled or THINK_OPEN in completion)
    if never_closed:
        reasoning, answer = completion, ""
    by_length = (finish_reason or "").lower() in LENGTH_FINISH_REASONS
    return AnswerRegion(
        reasoning=reasoning,
        answer=answer,
        truncated=never_closed or by_length,
        has_thinking=has_thinking,
    )


def sample_for_verifier(completion: str, reasoning: str | None, think_prefilled: bool) -> tuple[str, bool]:
    """The text a verifier reads, and whether its thinking was prefilled: reasoning that the engine returned
    separately goes back inside <think>…</think>, so the answer region is read as in one completion."""
    if reasoning:
        return f"{THINK_OPEN}{reasoning}{THINK_CLOSE}{completion}", False
    # A text that opens <think> itself (DeepSeek-R1's own outputs, stored with the tag) was not prefilled,
    # whatever the model's template does today: its format is <think>…</think>answer.
    return completion, think_prefilled and not completion.lstrip().startswith(THINK_OPEN)
