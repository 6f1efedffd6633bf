"""Loading the model to train (a registry name, Hub id or local path, as in `python -m evals run`)
and saving the checkpoint so the evaluation can load it as it is."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from evals.models import local_weights, resolve_model


def load(name: str, bf16: bool, lora: bool = False) -> tuple[Any, Any, Any]:
    """(model, tokenizer, peft_config or None)."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    spec = resolve_model(name)
    path = local_weights(spec)
    revision = None if Path(path).exists() else spec.revision
    tokenizer = AutoTokenizer.from_pretrained(path, revision=revision)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model = AutoModelForCausalLM.from_pretrained(path, revision=revision,
                                                 dtype=torch.bfloat16 if bf16 else torch.float32)
    peft_config = None
    if lora:
        from peft import LoraConfig

        peft_config = LoraConfig(r=16, lora_alpha=32, lora_dropout=0.0, target_modules="all-linear",
                                 task_type="CAUSAL_LM")
    return model, tokenizer, peft_config


def save_final(trainer: Any, tokenizer: Any, output_dir: str, stop_token: str | None = None) -> Path:
    """Write <output_dir>/final: merged weights, tokenizer (with its chat template) and a generation
    config that stops on the template's end-of-turn token."""
    final = Path(output_dir) / "final"
    model = trainer.model
    if hasattr(model, "merge_and_unload"):  # LoRA: the evaluation loads plain weights
        model = model.merge_and_unload()
    if stop_token:
        stop_id = tokenizer.convert_tokens_to_ids(stop_token)
        eos = model.generation_config.eos_token_id
        eos = [] if eos is None else [eos] if isinstance(eos, int) else list(eos)
        if isinstance(stop_id, int) and stop_id != tokenizer.unk_token_id and stop_id not in eos:
            model.generation_config.eos_token_id = eos + [stop_id]
    model.save_pretrained(final, safe_serialization=True)
    tokenizer.save_pretrained(final)
    return final
