"""Any OpenAI-compatible chat server: `vllm serve`, SGLang, hosted APIs.

Async with bounded concurrency; the `openai` client retries connection errors, 429s and 5xx with
exponential backoff. Reasoning that the server splits off arrives as `reasoning` (newer vLLM) or
`reasoning_content` (older vLLM, SGLang, DeepSeek's API); it is kept apart from the answer and
the verifier sees it as thinking. An asyncio loop runs in a thread and hands each completion over
as soon as it is done, so the runner stores it at once.
"""
from __future__ import annotations

import asyncio
import json
import os
import queue
import threading
import urllib.request
from collections.abc import Iterator, Sequence
from typing import Any

from .base import Completion, Request, Sampling

_DONE = object()


class OpenAIBackend:
    name = "openai"

    def __init__(self, model: str, *, base_url: str, api_key: str | None = None, concurrency: int = 32,
                 max_retries: int = 6, request_timeout: float = 3600.0, **_: Any) -> None:
        if not base_url:
            raise ValueError("the openai backend needs --base-url (e.g. http://127.0.0.1:8000/v1)")
        self.model, self.base_url, self.concurrency = model, base_url, concurrency
        self.api_key = api_key or os.environ.get("OPENAI_API_KEY") or "EMPTY"
        self.max_retries, self.request_timeout = max_retries, request_timeout

    def describe(self) -> dict[str, Any]:
        import openai

        return {"engine": "openai-compatible", "base_url": self.base_url, "client": openai.__version__,
                "served_model": self.model, "concurrency": self.concurrency,
                "server": server_facts(self.base_url, self.model, self.api_key)}

    async def _one(self, client: Any, gate: asyncio.Semaphore, request: Request, sampling: Sampling) -> Completion:
        async with gate:
            response = await client.chat.completions.create(
                model=self.model, messages=list(request.messages), n=1, temperature=sampling.temperature,
                top_p=sampling.top_p, max_tokens=sampling.max_tokens, seed=request.seed,
            )
        choice = response.choices[0]
        message = choice.message
        extra = message.model_extra or {}
        reasoning = getattr(message, "reasoning", None) or extra.get("reasoning") or extra.get("reasoning_content")
        usage = response.usage
        return Completion(
            request=request,
            text=message.content or "",
            reasoning=reasoning or None,
            finish_reason=choice.finish_reason,
            prompt_tokens=usage.prompt_tokens if usage else None,
            completion_tokens=usage.completion_tokens if usage else None,
            prompt_text=None,  # the server renders the template; we never see it
        )

    async def _run(self, requests: Sequence[Request], sampling: Sampling, out: queue.Queue) -> None:
        from openai import AsyncOpenAI

        client = AsyncOpenAI(base_url=self.base_url, api_key=self.api_key, max_retries=self.max_retries,
                             timeout=self.request_timeout)
        gate = asyncio.Semaphore(self.concurrency)
        try:
            tasks = [asyncio.create_task(self._one(client, gate, r, sampling)) for r in requests]
            for finished in asyncio.as_completed(tasks):
                out.put(await finished)
        except BaseException as exc:  # surface in the caller's thread, after what already arrived
            for task in tasks:
                task.cancel()
            out.put(exc)
        finally:
            await client.close()
            out.put(_DONE)

    def generate(self, requests: Sequence[Request], sampling: Sampling) -> Iterator[Completion]:
        out: queue.Queue = queue.Queue()
        worker = threading.Thread(target=lambda: asyncio.run(self._run(requests, sampling, out)), daemon=True)
        worker.start()
        while (item := out.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise RuntimeError(f"the server at {self.base_url} failed: {item}") from item
            yield item
        worker.join()

    def close(self) -> None:
        pass


def server_facts(base_url: str, model: str, api_key: str = "EMPTY", timeout: float = 5.0) -> dict[str, Any]:
    """What the server says about itself, for the manifest: engine (the model's ``owned_by``), version,
    dtype, context length, the weights it serves. The chat API reports none of this, so ask the
    engines' own endpoints: vLLM's ``/version`` and ``/v1/models`` (and ``/server_info``, which gives
    the dtype only in its dev mode), SGLang's ``/get_server_info``. What no endpoint answers is left
    out; a server that answers nothing yields {}."""
    def get(url: str) -> Any:
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {api_key}"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.loads(response.read(4 << 20))
        except (OSError, ValueError):
            return None

    root = base_url.rstrip("/").removesuffix("/v1")
    facts: dict[str, Any] = {}
    models = get(f"{base_url.rstrip('/')}/models")
    entries = models.get("data") if isinstance(models, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and entry.get("id") == model:
            facts.update(engine=entry.get("owned_by"), weights=entry.get("root"),
                         max_model_len=entry.get("max_model_len"))
    version = get(f"{root}/version")
    if isinstance(version, dict) and version.get("version"):
        facts["version"] = str(version["version"])
    vllm_info = get(f"{root}/server_info?config_format=json")
    if isinstance(vllm_info, dict) and isinstance(vllm_info.get("vllm_config"), dict):
        facts["dtype"] = (vllm_info["vllm_config"].get("model_config") or {}).get("dtype")
    sglang_info = get(f"{root}/get_server_info")
    if isinstance(sglang_info, dict):
        facts.setdefault("engine", "sglang")
        facts["dtype"] = facts.get("dtype") or sglang_info.get("dtype")
        facts["version"] = facts.get("version") or sglang_info.get("version")
    return {key: value for key, value in facts.items() if value not in (None, "")}
