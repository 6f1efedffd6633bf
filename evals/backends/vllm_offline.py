"""vLLM's offline engine (`vllm.LLM`), on GPUs or on CPU through the `vllm-cpu` package.

Each sample is its own request with its own seed, so a resumed run regenerates exactly the
missing samples; prefix caching makes the repeated prompts cheap. Requests go to the engine in
chunks so that finished work reaches the store while the rest is generating. Engine options
(tensor_parallel_size, data_parallel_size, gpu_memory_utilization, enforce_eager, ...) pass
through from `--engine-arg KEY=VALUE`.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from .base import Completion, Request, Sampling

CHUNK = 256
CPU_KV_CACHE_BYTES = 1 << 30


def _cpu_build(vllm: Any) -> bool:
    try:
        from vllm.platforms import current_platform

        return current_platform.is_cpu()
    except Exception:  # older layouts: no platform API means a GPU build
        return False


class VLLMBackend:
    name = "vllm"

    def __init__(self, model: str, *, revision: str | None = None, dtype: str = "auto", seed: int = 0,
                 max_model_len: int | None = None, engine_args: dict[str, Any] | None = None, **_: Any) -> None:
        try:
            import vllm
        except ImportError as exc:
            raise RuntimeError(
                "the vllm backend needs vLLM: `pip install vllm` on a GPU machine, or run "
                "scripts/install_vllm_cpu.sh for the CPU build; or serve the model and use --base-url"
            ) from exc
        self.vllm = vllm
        options: dict[str, Any] = {"model": model, "dtype": dtype, "seed": seed, "trust_remote_code": False}
        if revision and revision != "main" and not revision.startswith(("local-", "llm-")):
            options["revision"] = revision
        if max_model_len:
            options["max_model_len"] = max_model_len
        options.update(engine_args or {})
        if _cpu_build(vllm):
            # vllm-cpu: compiling the graph costs a minute at startup for no clear gain, and its memory check
            # measures one NUMA node against gpu_memory_utilization; an explicit KV-cache size skips that check.
            options.setdefault("enforce_eager", True)
            if "gpu_memory_utilization" not in options:
                options.setdefault("kv_cache_memory_bytes", CPU_KV_CACHE_BYTES)
        self.options = options
        self.llm = vllm.LLM(**options)

    def describe(self) -> dict[str, Any]:
        config = self.llm.llm_engine.model_config
        return {"engine": "vllm", "version": self.vllm.__version__, "dtype": str(config.dtype).removeprefix("torch."),
                "engine_args": {k: v for k, v in self.options.items() if k != "model"}}

    def generate(self, requests: Sequence[Request], sampling: Sampling) -> Iterator[Completion]:
        from vllm import SamplingParams

        for start in range(0, len(requests), CHUNK):
            chunk = requests[start:start + CHUNK]
            params = [SamplingParams(n=1, temperature=sampling.temperature, top_p=sampling.top_p,
                                     max_tokens=sampling.max_tokens, seed=r.seed) for r in chunk]
            outputs = self.llm.chat([list(r.messages) for r in chunk], sampling_params=params, use_tqdm=False)
            for request, output in zip(chunk, outputs):
                out = output.outputs[0]
                yield Completion(
                    request=request,
                    text=out.text,
                    reasoning=None,
                    finish_reason=out.finish_reason,
                    prompt_tokens=len(output.prompt_token_ids or []),
                    completion_tokens=len(out.token_ids),
                    prompt_text=output.prompt,
                )

    def close(self) -> None:
        self.llm = None
