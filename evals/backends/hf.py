"""transformers `generate`, batched, on CPU or GPU, from safetensors or a GGUF file.

The slow but universal engine: it runs the embedded model on a CPU-only machine. Requests are
batched by prompt length (left padding); a batch is seeded from its first request's seed, so a
resumed run reproduces a batch only when it holds the same requests (vLLM seeds each request).
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .base import Completion, Request, Sampling


class HFBackend:
    name = "hf"

    def __init__(self, model: str, *, batch_size: int = 8, dtype: str = "auto", device: str | None = None,
                 revision: str | None = None, **_: Any) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        self.torch = torch
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        path = Path(model)
        load_kwargs: dict[str, Any] = {}
        if path.suffix == ".gguf":  # transformers dequantises GGUF on load
            load_kwargs["gguf_file"], model = path.name, str(path.parent)
        elif revision and not path.exists():
            load_kwargs["revision"] = revision
        torch_dtype = {"auto": "auto", "float32": torch.float32, "bfloat16": torch.bfloat16,
                       "float16": torch.float16}[dtype]
        if torch_dtype == "auto" and self.device == "cpu":
            torch_dtype = torch.float32  # bf16 matmuls are slow on most CPUs
        self.tokenizer = AutoTokenizer.from_pretrained(model, padding_side="left", **load_kwargs)
        if self.tokenizer.pad_token is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        self.model = AutoModelForCausalLM.from_pretrained(model, dtype=torch_dtype, **load_kwargs).to(self.device)
        self.model.eval()
        self.batch_size = batch_size
        self.stop_ids = self._stop_ids()

    def _stop_ids(self) -> set[int]:
        ids = self.model.generation_config.eos_token_id
        ids = set(ids if isinstance(ids, list) else [ids] if ids is not None else [])
        if self.tokenizer.eos_token_id is not None:
            ids.add(self.tokenizer.eos_token_id)
        return ids

    def describe(self) -> dict[str, Any]:
        import transformers

        return {"engine": "transformers", "version": transformers.__version__, "torch": self.torch.__version__,
                "device": self.device, "dtype": str(self.model.dtype).removeprefix("torch."),
                "batch_size": self.batch_size}

    def render(self, request: Request) -> str:
        return self.tokenizer.apply_chat_template(list(request.messages), tokenize=False, add_generation_prompt=True)

    def generate(self, requests: Sequence[Request], sampling: Sampling) -> Iterator[Completion]:
        prompts = [self.render(r) for r in requests]
        lengths = [len(self.tokenizer(p, add_special_tokens=False)["input_ids"]) for p in prompts]
        order = sorted(range(len(requests)), key=lambda i: (lengths[i], i))
        for start in range(0, len(order), self.batch_size):
            batch = order[start:start + self.batch_size]
            yield from self._generate_batch([requests[i] for i in batch], [prompts[i] for i in batch], sampling)

    def _generate_batch(self, requests: list[Request], prompts: list[str], sampling: Sampling) -> Iterator[Completion]:
        torch = self.torch
        enc = self.tokenizer(prompts, return_tensors="pt", padding=True, add_special_tokens=False).to(self.device)
        torch.manual_seed(requests[0].seed)
        sample = sampling.temperature > 0
        options: dict[str, Any] = {"do_sample": sample, "max_new_tokens": sampling.max_tokens,
                                   "pad_token_id": self.tokenizer.pad_token_id, "eos_token_id": sorted(self.stop_ids)}
        if sample:
            options.update(temperature=sampling.temperature, top_p=sampling.top_p, top_k=0)
        with torch.inference_mode():
            out = self.model.generate(**enc, **options)
        width = enc["input_ids"].shape[1]
        for row, request in enumerate(requests):
            tokens = out[row, width:].tolist()
            stop = next((i for i, t in enumerate(tokens) if t in self.stop_ids), None)
            kept = tokens if stop is None else tokens[:stop]
            yield Completion(
                request=request,
                text=self.tokenizer.decode(kept, skip_special_tokens=True),
                reasoning=None,
                finish_reason="stop" if stop is not None else "length",
                prompt_tokens=int(enc["attention_mask"][row].sum()),
                completion_tokens=len(kept) + (stop is not None),
                prompt_text=prompts[row],
            )

    def close(self) -> None:
        self.model = None  # frees the weights before the next model loads
