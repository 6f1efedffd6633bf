"""The format of a reasoning completion: the paper's format reward, for two templates.

    r1       <think> reasoning </think> answer-or-summary      (DeepSeek-R1 and its distills)
    r1_zero  <think> reasoning </think> <answer> answer </answer>   (the R1-Zero training template)
    answer   a direct answer, no thinking section                 (instruct models; small-model RL)

Checked: thinking is opened (in the completion, or by the chat template when `think_prefilled`)
and closed exactly once, holds some reasoning, and is followed by a non-empty answer; with
`require_boxed`, that answer holds a \\boxed{…}. Whitespace between the parts is free, unlike
regex rewards that demand exact newlines: the paper rewards the structure, not the line breaks.
Every problem found is listed, so a verdict explains itself.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from .answer_region import LENGTH_FINISH_REASONS, THINK_CLOSE, THINK_OPEN
from .verdict import SIGNALS_VERSION, Verdict

Template = Literal["r1", "r1_zero", "answer"]
TEMPLATES: tuple[str, ...] = ("r1", "r1_zero", "answer")
ANSWER_OPEN, ANSWER_CLOSE = "<answer>", "</answer>"


@dataclass(frozen=True)
class FormatResult:
    ok: bool
    template: str
    problems: list[str] = field(default_factory=list)  # empty when ok

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_format(completion: str, template: Template = "r1", *, think_prefilled: bool = False,
                 require_boxed: bool = False, finish_reason: str | None = None) -> FormatResult:
    """Every way ``completion`` breaks ``template``; ok when there is none."""
    if template not in TEMPLATES:
        raise ValueError(f"unknown format template {template!r}; use one of {TEMPLATES}")
    problems: list[str] = []
    if (finish_reason or "").lower() in LENGTH_FINISH_REASONS:
        problems.append("stopped at the token limit")
    if template == "answer":
        return _direct_answer(completion, require_boxed, problems)
    opens, closes = completion.count(THINK_OPEN), completion.count(THINK_CLOSE)
    head = completion.lstrip()
    if think_prefilled:
        if opens:
            problems.append(f"{THINK_OPEN} opened again, though the prompt already opened it")
    elif opens == 0:
        problems.append(f"no {THINK_OPEN}")
    elif opens > 1:
        problems.append(f"{THINK_OPEN} appears {opens} times")
    elif not head.startswith(THINK_OPEN):
        problems.append(f"text before {THINK_OPEN}")
    if closes == 0:
        problems.append(f"thinking never closed (no {THINK_CLOSE})")
        return FormatResult(False, template, problems)
    if closes > 1:
        problems.append(f"{THINK_CLOSE} appears {closes} times")
    begin = completion.find(THINK_OPEN) + len(THINK_OPEN) if opens else 0
    cut = completion.find(THINK_CLOSE)
    if cut < begin - len(THINK_OPEN):
        problems.append(f"{THINK_CLOSE} before {THINK_OPEN}")
    elif not completion[begin:cut].strip():
        problems.append("empty thinking")
    after = completion[completion.rfind(THINK_CLOSE) + len(THINK_CLOSE):]
    answer = _answer_part(after, template, problems)
    if answer is not None and not answer.strip():
        problems.append("empty answer" if template == "r1_zero" else f"nothing after {THINK_CLOSE}")
    if require_boxed and answer is not None and "\\boxed" not in answer:
        problems.append("no \\boxed{} answer")
    return FormatResult(not problems, template, problems)


def _direct_answer(completion: str, require_boxed: bool, problems: list[str]) -> FormatResult:
    """The `answer` template: the completion is the answer itself."""
    if THINK_OPEN in completion or THINK_CLOSE in completion:
        problems.append("a thinking section, though the template asks for the answer directly")
    if not completion.strip():
        problems.append("empty answer")
    if require_boxed and "\\boxed" not in completion:
        problems.append("no \\boxed{} answer")
    return FormatResult(not problems, "answer", problems)


def _answer_part(after: str, template: str, problems: list[str]) -> str | None:
    """The answer text after </think>: all of it for r1, the <answer> element for r1_zero."""
    if template == "r1":
        return after
    opens, closes = after.count(ANSWER_OPEN), after.count(ANSWER_CLOSE)
    if opens != 1 or closes != 1:
        problems.append(f"expected one {ANSWER_OPEN}…{ANSWER_CLOSE} after {THINK_CLOSE}, found {opens} "
                        f"opening and {closes} closing tags")
        return None
    start, end = after.find(ANSWER_OPEN), after.find(ANSWER_CLOSE)
    if end < start:
        problems.append(f"{ANSWER_CLOSE} before {ANSWER_OPEN}")
        return None
    if after[:start].strip():
        problems.append(f"text between {THINK_CLOSE} and {ANSWER_OPEN}")
    if after[end + len(ANSWER_CLOSE):].strip():
        problems.append(f"text after {ANSWER_CLOSE}")
    return after[start + len(ANSWER_OPEN):end]


def verify_format(completion: str, reference: Any = None, *, template: Template = "r1", think_prefilled: bool = False,
                  require_boxed: bool = False, finish_reason: str | None = None, **_: Any) -> Verdict:
    """A verdict on the format: correct, or `wrong_format` with the problems in details."""
    result = check_format(completion, template, think_prefilled=think_prefilled, require_boxed=require_boxed,
                          finish_reason=finish_reason)
    return Verdict(correct=result.ok, reason="correct" if result.ok else "wrong_format", method=template,
                   version=SIGNALS_VERSION,
                   details={**result.to_dict(), "require_boxed": require_boxed})
