"""GRPO with the evals verifiers as rewards: `python -m training grpo --config FILE`.

The trainer is TRL's GRPOTrainer; this module chooses its settings (training.presets), feeds it a
prompt set whose references the rewards read, and records the run (training.record). Rollouts come
from vLLM (colocated, or a `trl vllm-serve` server) when a GPU is present, else from transformers.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from evals.errors import SetupError, UsageError

from .config import GRPOOptions, grpo_args, resolve
from .data import load_prompts, stop_token, template_facts
from .model import load, save_final
from .record import RunRecord
from .rewards import RewardOptions, build_rewards


def vllm_mode(choice: str, gpu: bool) -> str | None:
    """None (transformers generation), "colocate" or "server"."""
    if choice == "off" or (choice == "auto" and not (gpu and importlib.util.find_spec("vllm"))):
        return None
    if choice == "auto":
        return "colocate"
    if choice not in ("colocate", "server"):
        raise UsageError(f"--vllm {choice!r}: use auto, off, colocate or server")
    if not gpu:
        raise SetupError(f"--vllm {choice}: TRL's vLLM rollouts need a CUDA GPU; use --vllm off on this machine")
    return choice


def run(options: GRPOOptions) -> Path:
    import torch
    from trl import GRPOConfig, GRPOTrainer

    o = resolve(options, "grpo")
    if not o.data:
        raise UsageError("grpo needs --data: a prompt set with reference answers "
                         "(try `python -m training task arithmetic --out prompts.jsonl`)")
    gpu = torch.cuda.is_available()
    mode = vllm_mode(o.vllm, gpu)
    dataset = load_prompts(o.data, domain=o.domain, verifier=o.verifier, limit=o.limit)
    model, tokenizer, peft_config = load(o.model, bf16=bool(o.bf16) and gpu, lora=o.lora)
    facts = template_facts(tokenizer)
    args = grpo_args(o, use_cpu=not gpu, vllm_mode=mode)
    record = RunRecord(o.output_dir, "grpo", o, args, template=facts, prompts=len(dataset),
                       vllm_mode=mode, device="cuda" if gpu else "cpu")
    stop = stop_token(tokenizer, facts)
    eos = tuple({tokenizer.eos_token_id, *([tokenizer.convert_tokens_to_ids(stop)] if stop else [])} - {None})
    reward_options = RewardOptions(think_prefilled=facts.opens_think, template=o.format_template or "r1",
                                   require_boxed=bool(o.require_boxed), max_completion_length=o.max_completion_length,
                                   eos_token_ids=eos, verify_workers=o.verify_workers,
                                   require_evaluated=o.require_evaluated)
    rewards = build_rewards(o.rewards, reward_options, log=record.log_rollouts if o.log_rollouts else None)
    trainer = GRPOTrainer(model=model, reward_funcs=rewards, args=GRPOConfig(**args), train_dataset=dataset,
                          processing_class=tokenizer, callbacks=[record.callback()], peft_config=peft_config)
    print(f"[training] grpo preset {o.preset}: {len(dataset)} prompts, rewards {o.rewards} "
          f"weights {args['reward_weights']}, G={o.num_generations}, output {o.output_dir}", file=sys.stderr)
    try:
        trainer.train(resume_from_checkpoint=o.resume_from)
    except BaseException:
        record.finish("failed", step=trainer.state.global_step)
        raise
    finally:
        for reward in rewards:
            getattr(reward, "close", lambda: None)()
    final = save_final(trainer, tokenizer, o.output_dir, stop)
    record.finish("done", step=trainer.state.global_step, checkpoint=str(final))
    return final
