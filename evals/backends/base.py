"""The one small interface every generation engine implements.

Requests in (one per sample: the chat, its sample index and seed), completions out as they finish
(text, reasoning when the server separates it, finish reason, token counts, the prompt actually
sent). The runner writes each completion to the store as it arrives, so a killed run resumes.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from ..config import R1_PROTOCOL


@dataclass(frozen=True)
class Sampling:
    # None: unknown (a replayed file that does not say how it was sampled); generating backends get numbers
    temperature: float | None = R1_PROTOCOL.temperature
    top_p: float | None = R1_PROTOCOL.top_p
    max_tokens: int | None = R1_PROTOCOL.max_tokens
    seed: int = 0

    @property
    def hash(self) -> str:
        """Part of every sample's key: change a parameter and you get new samples, not mixed ones."""
        text = f"t={self.temperature!r};p={self.top_p!r};m={self.max_tokens};s={self.seed}"
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Request:
    problem_id: str
    problem_text: str  # lets the replay backend match other tools' files by problem text
    prompt_hash: str
    messages: tuple[dict[str, str], ...]
    sample_index: int
    seed: int  # derived from (sampling seed, prompt hash, sample index): the same sample on every resume


@dataclass(frozen=True)
class Completion:
    request: Request
    text: str  # the reply; with a separate reasoning channel, only the answer part
    reasoning: str | None  # reasoning returned separately (reasoning / reasoning_content), else None
    finish_reason: str | None  # "stop", "length", or None when unknown
    prompt_tokens: int | None
    completion_tokens: int | None
    prompt_text: str | None  # the rendered prompt, when the backend rendered it


class Backend(Protocol):
    name: str

    def generate(self, requests: Sequence[Request], sampling: Sampling) -> Iterator[Completion]:
        """Yield a completion per request, in any order, as soon as each is done."""
        ...

    def describe(self) -> dict[str, Any]:
        """Engine name and version, dtype, device: what the results manifest records."""
        ...

    def close(self) -> None: ...


def derive_seed(base: int, prompt_hash: str, sample_index: int) -> int:
    digest = hashlib.sha256(f"{base}:{prompt_hash}:{sample_index}".encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


def prompt_opens_think(prompt_text: str | None) -> bool:
    """True when the rendered prompt ends inside an opened <think> (R1 distill templates)."""
    return bool(prompt_text) and prompt_text.rstrip().endswith("<think>")
