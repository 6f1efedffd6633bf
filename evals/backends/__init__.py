"""Generation engines behind one interface (`base.Backend`), listed in one dict.

Modules are imported only when their backend is opened, so `--help` and the replay backend never
import torch or vLLM.
"""
from __future__ import annotations

import importlib
from typing import Any

from .base import Backend, Completion, Request, Sampling, derive_seed, prompt_opens_think

BACKENDS: dict[str, str] = {
    "hf": "evals.backends.hf:HFBackend",
    "vllm": "evals.backends.vllm_offline:VLLMBackend",
    "openai": "evals.backends.openai_compat:OpenAIBackend",
    "replay": "evals.backends.replay:ReplayBackend",
}

__all__ = ["BACKENDS", "Backend", "Completion", "Request", "Sampling", "derive_seed", "open_backend",
           "prompt_opens_think"]


def open_backend(name: str, model: str, **options: Any) -> Backend:
    """Instantiate a backend by registry name or `module:Class`."""
    target = BACKENDS.get(name, name if ":" in name else None)
    if target is None:
        raise ValueError(f"unknown backend {name!r}; known: {', '.join(BACKENDS)} (or module:Class)")
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)(model, **options)
