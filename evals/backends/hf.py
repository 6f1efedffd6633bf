"""transformers `generate`, batched, on CPU or GPU, from safetensors or a GGUF file.

The slow but universal engine: it runs the embedded model on a CPU-only machine. Requests are
batched by prompt length (left padding); a batch is seeded from its first request's seed, so a
resumed run reproduces a batch only when it holds the same requests (vLLM seeds each request).

`generate` runs in a worker thread and a per-step hook hands over each sequence the moment it writes
its stop token, so completions (and the progress bar) arrive one by one, not a batch at a time; the
hook also counts generated tokens (`on_tokens`, for tokens/s). Same call, same seed: same outputs.
"""
from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator, Sequence
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
        self.tokens_generated = 0
        self.on_tokens: Callable[[int], None] | None = None  # called with the running total, once per step

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
        width = enc["input_ids"].shape[1]
        finished: queue.Queue = queue.Queue()
        watcher = _FinishWatcher(self, width, finished)
        options: dict[str, Any] = {"do_sample": sample, "max_new_tokens": sampling.max_tokens,
                                   "pad_token_id": self.tokenizer.pad_token_id, "eos_token_id": sorted(self.stop_ids),
                                   "stopping_criteria": [watcher]}
        if sample:
            options.update(temperature=sampling.temperature, top_p=sampling.top_p, top_k=0)
        outcome: dict[str, Any] = {}

        def work() -> None:
            try:
                with torch.inference_mode():
                    outcome["out"] = self.model.generate(**enc, **options)
            except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
                outcome["error"] = exc
            finally:
                finished.put(None)

        thread = threading.Thread(target=work, name="hf-generate", daemon=True)
        thread.start()
        try:
            while (item := finished.get()) is not None:  # sequences that wrote their stop token, as they do
                row, tokens = item
                yield self._completion(requests[row], prompts[row], enc, row, tokens, stopped=True)
            if "error" in outcome:
                raise outcome["error"]
            for row, request in enumerate(requests):  # the rest ran into the token budget
                if row not in watcher.done:
                    tokens = outcome["out"][row, width:].tolist()
                    stop = next((i for i, t in enumerate(tokens) if t in self.stop_ids), None)
                    yield self._completion(request, prompts[row], enc, row, tokens[:stop], stopped=stop is not None)
        finally:
            watcher.cancel = True  # Ctrl-C or a closed generator: the worker stops at its next step
            thread.join()

    def _completion(self, request: Request, prompt: str, enc: Any, row: int, kept: list[int],
                    stopped: bool) -> Completion:
        return Completion(
            request=request,
            text=self.tokenizer.decode(kept, skip_special_tokens=True),
            reasoning=None,
            finish_reason="stop" if stopped else "length",
            prompt_tokens=int(enc["attention_mask"][row].sum()),
            completion_tokens=len(kept) + stopped,
            prompt_text=prompt,
        )

    def close(self) -> None:
        self.model = None  # frees the weights before the next model loads


class _FinishWatcher:
    """A stopping criterion that never stops a sequence: after each step it hands each sequence that just wrote
    a stop token to the caller (row, its tokens before the stop), and counts the step's new tokens."""

    def __init__(self, backend: HFBackend, width: int, finished: queue.Queue) -> None:
        self.backend, self.width, self.finished = backend, width, finished
        self.done: set[int] = set()
        self.cancel = False

    def __call__(self, input_ids: Any, scores: Any, **_: Any) -> Any:
        torch, backend = self.backend.torch, self.backend
        last = input_ids[:, -1].tolist()
        active = 0
        for row, token in enumerate(last):
            if row in self.done:
                continue
            active += 1
            if token in backend.stop_ids:
                self.done.add(row)
                self.finished.put((row, input_ids[row, self.width:-1].tolist()))
        backend.tokens_generated += active
        if backend.on_tokens is not None:
            backend.on_tokens(backend.tokens_generated)
        return torch.full((input_ids.shape[0],), self.cancel, dtype=torch.bool, device=input_ids.device)
