"""The evals verifiers as TRL reward functions: the reward is the evaluation's verdict, reshaped.

    rewards = build_rewards(["accuracy", "format", "language"], RewardOptions(think_prefilled=True))
    GRPOTrainer(..., reward_funcs=rewards, args=GRPOConfig(reward_weights=[1, 1, 1]))

TRL sums the weighted rewards per completion (nan-aware), which is the paper's
R = R_acc + R_format (+ R_language in the reasoning RL stage). Each adapter:
- reads what it needs from the dataset's columns (`verifier`, `reference`, `verify_opts`, as
  `training.data.load_prompts` writes them) and says which column is missing if one is;
- returns None where it does not apply (no rule-based reference, general chat), which TRL
  ignores for that completion instead of counting it as a failure;
- marks a completion that filled `max_completion_length` without an end-of-sequence token as
  truncated, so it scores 0, exactly as the evaluation scores a completion that hit the limit;
- is safe from any thread and inside TRL's async path: answer checks run in the evals
  `VerifierPool` (worker processes with their own wall-clock limits, no SIGALRM), and the text
  signals are pure functions.
Every scored completion can be appended to a rollout log (training.record), with the verdict's reason and extracted
answer, so a reward curve can be traced back to the verdicts that made it.
"""
from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from evals.verifiers import Verdict, VerifierPool
from evals.verifiers.format_check import verify_format
from evals.verifiers.language import question_language, verify_language
from evals.verifiers.registry import answer_options, is_rule_based

REWARDS: tuple[str, ...] = ("accuracy", "format", "language")


@dataclass(frozen=True)
class RewardOptions:
    think_prefilled: bool = False  # the chat template opens <think> itself (R1 distills, QwQ)
    template: str = "r1"  # format reward: "r1" (<think>…</think> answer) or "r1_zero" (… <answer>…</answer>)
    require_boxed: bool = False  # format reward: the answer after </think> must hold \boxed{}
    max_completion_length: int | None = None  # to tell a completion cut at the limit
    eos_token_ids: tuple[int, ...] = ()
    verify_workers: int = 2
    verify_timeout: float = 5.0  # seconds per answer check (code gets the judge's own limit)
    # accuracy reward: an equal but unevaluated math answer (`4+5` for 9) earns 0, as a policy
    # would otherwise learn to restate the question (evals.verifiers.math_evaluated)
    require_evaluated: bool = True


def completion_text(completion: Any) -> str:
    """TRL passes a string, or a list of messages in conversational datasets."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, list):
        return "".join(str(m.get("content") or "") for m in completion if m.get("role", "assistant") == "assistant")
    raise TypeError(f"unexpected completion type {type(completion).__name__}")


def _finish_reasons(ids: Sequence[Sequence[int]] | None, n: int, options: RewardOptions) -> list[str | None]:
    if ids is None or not options.max_completion_length:
        return [None] * n
    return ["length" if len(c) >= options.max_completion_length and (not c or c[-1] not in options.eos_token_ids)
            else "stop" for c in ids]


def _column(kwargs: dict[str, Any], name: str, reward: str, n: int) -> list[Any]:
    if name not in kwargs:
        known = sorted(k for k in kwargs if k not in ("trainer_state", "log_extra", "log_metric"))
        raise KeyError(f"reward {reward!r} needs the dataset column {name!r} (training.data.load_prompts writes it); "
                       f"the dataset has {known}")
    values = kwargs[name]
    return list(values) if values is not None else [None] * n


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


class _Reward:
    name = "reward"

    def __init__(self, options: RewardOptions, log: Callable[..., None] | None = None, keep_text: bool = False):
        self.options, self.log, self.keep_text = options, log, keep_text
        self.__name__ = self.name  # TRL names the reward's curve after it

    def score(self, texts: list[str], finish: list[str | None], kwargs: dict[str, Any]) -> list[Verdict | None]:
        raise NotImplementedError

    def __call__(self, prompts: list[Any], completions: list[Any], completion_ids: list[list[int]] | None = None,
                 **kwargs: Any) -> list[float | None]:
        texts = [completion_text(c) for c in completions]
        finish = _finish_reasons(completion_ids, len(texts), self.options)
        verdicts = self.score(texts, finish, kwargs)
        if kwargs.get("log_extra"):
            kwargs["log_extra"](f"{self.name}_reason", [v.reason if v else None for v in verdicts])
        if self.log:
            self.log(self.name, [{"score": v.score if v else None, "reason": v.reason if v else None,
                                  "method": v.method if v else None, "extracted": v.extracted if v else None,
                                  "finish_reason": f}
                                 for v, f in zip(verdicts, finish)],
                     texts if self.keep_text else None, kwargs)
        return [float(v.score) if v is not None else None for v in verdicts]


class AccuracyReward(_Reward):
    """R_acc: the row's rule-based verifier (evals.verifiers.registry) against its reference, in the verifier pool."""
    name = "accuracy"

    def __init__(self, options: RewardOptions, log: Any = None, keep_text: bool = False,
                 pool: VerifierPool | None = None):
        super().__init__(options, log, keep_text)
        self._pool, self._own_pool, self._lock = pool, pool is None, threading.Lock()

    @property
    def pool(self) -> VerifierPool:
        with self._lock:  # started on first use, once, whichever thread gets here first
            if self._pool is None:
                self._pool = VerifierPool(workers=self.options.verify_workers, timeout=self.options.verify_timeout)
            return self._pool

    def score(self, texts: list[str], finish: list[str | None], kwargs: dict[str, Any]) -> list[Verdict | None]:
        n = len(texts)
        kinds = _column(kwargs, "verifier", self.name, n)
        references = _column(kwargs, "reference", self.name, n)
        extra = kwargs.get("verify_opts") or [None] * n
        items, where = [], []
        for i, (kind, ref) in enumerate(zip(kinds, references)):
            if not is_rule_based(kind) or ref is None:  # only a rule-based verdict is a reward; others give None
                continue
            opts = {**(_json(extra[i]) or {}), "finish_reason": finish[i],
                    **answer_options(kind, require_evaluated=self.options.require_evaluated,
                                     think_prefilled=self.options.think_prefilled)}
            items.append((kind, texts[i], _json(ref), opts))
            where.append(i)
        verdicts: list[Verdict | None] = [None] * n
        if items:
            from evals.scoring import judge_timeout

            timeout = judge_timeout(items) if any(item[0] == "code" for item in items) else None
            for i, verdict in zip(where, self.pool.verify_batch(items, timeout=timeout)):
                verdicts[i] = verdict
        return verdicts

    def close(self) -> None:
        if self._own_pool and self._pool is not None:
            self._pool.close()
            self._pool = None


class FormatReward(_Reward):
    """R_format: 1 when the completion follows the template (thinking opened, closed once, then an answer)."""
    name = "format"

    def score(self, texts: list[str], finish: list[str | None], kwargs: dict[str, Any]) -> list[Verdict | None]:
        o = self.options
        return [verify_format(t, template=o.template, think_prefilled=o.think_prefilled,  # type: ignore[arg-type]
                              require_boxed=o.require_boxed, finish_reason=f) for t, f in zip(texts, finish)]


class LanguageReward(_Reward):
    """R_language: the share of the chain of thought's words in the question's language (the paper's eq. 5),
    as the evals language signal counts it (code, math and numbers are not words; no words at all is 1.0).
    The target is a row's `language` column, else the language of its bare question: the `problem` column,
    else the prompt's last user message; never the templated prompt, whose system message may be English."""
    name = "language"

    def __call__(self, prompts: list[Any], completions: list[Any], completion_ids: list[list[int]] | None = None,
                 **kwargs: Any) -> list[float | None]:
        n = len(completions)
        given = list(kwargs.get("language") or [None] * n)
        questions = [p or q for p, q in zip(kwargs.get("problem") or [None] * n, prompts or [None] * n)]
        found: dict[str, str] = {}  # a GRPO group shares its question: detect it once
        targets = [t or found.setdefault(str(q), question_language(q)) for t, q in zip(given, questions)]
        return super().__call__(prompts, completions, completion_ids, **{**kwargs, "language": targets})

    def score(self, texts: list[str], finish: list[str | None], kwargs: dict[str, Any]) -> list[Verdict | None]:
        return [verify_language(text, target_language=target, think_prefilled=self.options.think_prefilled)
                for text, target in zip(texts, kwargs["language"])]


_CLASSES: dict[str, type[_Reward]] = {"accuracy": AccuracyReward, "format": FormatReward, "language": LanguageReward}


def build_rewards(names: Sequence[str], options: RewardOptions, log: Any = None) -> list[_Reward]:
    """The reward functions named, in order (their weights go to GRPOConfig.reward_weights)."""
    unknown = [n for n in names if n not in _CLASSES]
    if unknown:
        raise ValueError(f"unknown reward(s) {unknown}; use any of {list(REWARDS)}")
    return [_CLASSES[n](options, log, keep_text=i == 0) for i, n in enumerate(names)]
