"""What a benchmark is: problems, how each becomes a prompt, and which verifier scores it."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from evals.verifiers.registry import kind_of

from ..config import R1_PROTOCOL

# The R1 protocol's zero-shot instruction (DeepSeek-R1 paper, evaluation setup).
R1_INSTRUCTION = R1_PROTOCOL.instruction
# Bump when the way problems become prompts changes: it changes every prompt hash.
PROMPT_VERSION = "1"


@dataclass(frozen=True)
class Problem:
    id: str
    text: str  # the bare problem, as a human would read it (also used to match replayed samples)
    messages: tuple[dict[str, str], ...]  # the chat sent to the model
    reference: Any  # what the verifier compares against (answer string, int, gold letter, tests)
    metadata: dict[str, Any] = field(default_factory=dict)  # subject, level, difficulty ...
    verify_opts: dict[str, Any] = field(default_factory=dict)  # extra verifier options (n_options ...)

    @property
    def prompt_hash(self) -> str:
        """Identifies the prompt in the store: same messages, same hash, whatever the benchmark."""
        payload = json.dumps([PROMPT_VERSION, list(self.messages)], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]


@dataclass(frozen=True)
class Benchmark:
    name: str
    verifier: str  # a kind from evals.verifiers.registry
    default_samples: int  # k of the R1 protocol
    load: Callable[[dict[str, str]], list[Problem]]  # data_files (name -> path) in, problems out
    source: str  # where the data comes from, with its pin
    breakdowns: tuple[str, ...] = ()  # metadata fields worth a per-group table
    # how cons@k groups answers (math, integer, letter, exact); by default the verifier kind's
    answer_equivalence: str | None = None
    data_file: str | None = None  # the pinned file shipped in evals/data, if any

    def __post_init__(self) -> None:
        if self.answer_equivalence is None:
            object.__setattr__(self, "answer_equivalence", kind_of(self.verifier).equivalence)

    def data_sha256(self, data_files: dict[str, str]) -> str | None:
        """sha256 of the file the problems came from (a user's --data file, else the pinned one)."""
        from evals.data import data_path

        path = data_files.get(self.name) or (self.data_file and data_path(self.data_file))
        return hashlib.sha256(open(path, "rb").read()).hexdigest() if path else None

    def problems_sha256(self, problems: list[Problem]) -> str:
        """sha256 of what was evaluated (each problem's id, prompt hash and reference, in order): the
        same for any source, so Hub-loaded data gets one too, and a changed row changes it."""
        digest = hashlib.sha256()
        for p in problems:
            digest.update(json.dumps([p.id, p.prompt_hash, str(p.reference)]).encode())
        return digest.hexdigest()

    def data_version(self, problems: list[Problem]) -> str:
        """The short form of ``problems_sha256``, shown beside results."""
        return self.problems_sha256(problems)[:16]


def user_prompt(text: str) -> tuple[dict[str, str], ...]:
    """Zero-shot, no system prompt (R1's recommendation), the instruction on its own line."""
    return ({"role": "user", "content": f"{text}\n{R1_INSTRUCTION}"},)
