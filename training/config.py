"""Run configuration: typed dataclasses whose fields are the flags and the config file's keys.

A preset (training.presets) fills every field left unset (None); flags and the config file
override it. `grpo_args` / `sft_args` turn the result into TRL's config keyword arguments, so what
a run used is one resolved dict, written beside the checkpoint.
"""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from typing import Any

from evals.errors import ConfigError

from .presets import GRPO_PRESETS, SFT_PRESETS

DEFAULT_MODEL = "smollm2-135m-instruct"


@dataclass
class _Common:
    preset: str = "cpu"
    model: str = DEFAULT_MODEL  # registry name, Hub id or local path
    output_dir: str = ""  # default: runs/train/<command>-<preset>
    learning_rate: float | None = None
    max_steps: int | None = None
    num_train_epochs: float | None = None
    per_device_batch: int | None = None
    bf16: bool | None = None
    gradient_checkpointing: bool | None = None
    lora: bool = False  # train a LoRA adapter (rank 16) instead of all weights; saved merged
    seed: int = 42
    logging_steps: int = 1
    save_steps: int = 0  # 0: save only the final checkpoint
    resume_from: str | None = None  # a checkpoint directory of this output_dir to continue from
    limit: int | None = None  # only the first N data rows (a trial run)
    trl: dict[str, Any] = field(default_factory=dict)  # any other TRL config field, KEY=VALUE


@dataclass
class GRPOOptions(_Common):
    data: str = ""  # prompt set: .jsonl/.json/.csv/.parquet or hub:ORG/NAME (read like `curation ingest`)
    domain: str | None = None
    verifier: str | None = None
    rewards: list[str] | None = None  # accuracy, format, language
    reward_weights: list[float] | None = None  # default: 1 each (R = R_acc + R_format [+ R_language])
    format_template: str | None = None  # r1 or r1_zero
    require_boxed: bool | None = None  # format reward: the answer must hold \boxed{}
    num_generations: int | None = None  # group size G
    prompts_per_step: int | None = None
    rollout_minibatches: int | None = None  # optimizer steps per rollout
    epsilon: float | None = None  # clip ratio
    beta: float | None = None  # KL coefficient
    ref_sync_steps: int | None = None  # replace the reference policy every N steps (0: never)
    temperature: float | None = None
    top_p: float | None = None
    max_completion_length: int | None = None
    max_prompt_length: int | None = None
    vllm: str = "auto"  # auto (colocate when a GPU and vLLM are present), off, colocate, server
    vllm_server_url: str | None = None
    verify_workers: int = 2
    require_evaluated: bool = True  # accuracy reward: `\boxed{4+5}` for 9 earns 0 (never pay for restating)
    log_rollouts: bool = True  # every scored completion with its verdict, in rollouts.jsonl


@dataclass
class SFTOptions(_Common):
    data: list[str] = field(default_factory=list)  # curation export directories, Parquet/JSONL files, hub:ORG/NAME
    batch_size: int | None = None  # sequences per optimizer step
    max_length: int | None = None
    lr_min_ratio: float | None = None  # cosine decay ends at this fraction of the learning rate
    packing: bool | None = None
    teacher: str | None = None  # distill: on-policy distillation from this teacher (TRL DistillationTrainer)
    max_completion_length: int = 512  # on-policy distillation: tokens the student generates per prompt


def resolve(options: Any, command: str) -> Any:
    """Fill every unset field from the preset; raise with the known names when the preset is unknown."""
    presets = GRPO_PRESETS if command == "grpo" else SFT_PRESETS
    if options.preset not in presets:
        raise ConfigError(f"unknown {command} preset {options.preset!r}; known: {sorted(presets)}")
    values = presets[options.preset]
    filled = {f.name: values[f.name] for f in dataclasses.fields(options)
              if getattr(options, f.name) is None and f.name in values}
    options = dataclasses.replace(options, **filled)
    if getattr(options, "reward_weights", None):  # from the command line they arrive as strings
        options.reward_weights = [float(w) for w in options.reward_weights]
    if not options.output_dir:
        options.output_dir = os.path.join("runs", "train", f"{command}-{options.preset}")
    return options


def _world() -> int:
    return int(os.environ.get("WORLD_SIZE", "1"))


def _accumulation(total: int, per_device: int, what: str) -> int:
    per_step = per_device * _world()
    if total % per_step:
        raise ConfigError(f"{what} = {total} is not a multiple of per_device_batch x processes = {per_step}; "
                          "change --per-device-batch")
    return total // per_step


def _common_args(o: Any, use_cpu: bool) -> dict[str, Any]:
    args = {"output_dir": o.output_dir, "learning_rate": o.learning_rate, "seed": o.seed,
            "logging_steps": o.logging_steps, "bf16": bool(o.bf16) and not use_cpu,
            "gradient_checkpointing": bool(o.gradient_checkpointing), "report_to": [], "use_cpu": use_cpu,
            "save_strategy": "steps" if o.save_steps else "no", "lr_scheduler_type": "cosine_with_min_lr",
            "lr_scheduler_kwargs": {"min_lr_rate": getattr(o, "lr_min_ratio", None) or 0.1}}
    if o.save_steps:
        args["save_steps"] = o.save_steps
    if o.max_steps:
        args["max_steps"] = o.max_steps
    if o.num_train_epochs:
        args["num_train_epochs"] = o.num_train_epochs
    return args


def grpo_args(o: GRPOOptions, use_cpu: bool, vllm_mode: str | None) -> dict[str, Any]:
    """GRPOConfig keyword arguments for resolved options (see presets.GRPO_NOTES for the mapping)."""
    completions = o.prompts_per_step * o.num_generations
    accumulation = _accumulation(completions, o.per_device_batch, "prompts_per_step x num_generations")
    args = {
        **_common_args(o, use_cpu),
        "lr_scheduler_type": "constant",  # the paper gives a constant rate for RL
        "lr_scheduler_kwargs": None,
        "num_generations": o.num_generations,
        "per_device_train_batch_size": o.per_device_batch,
        "gradient_accumulation_steps": accumulation,
        "steps_per_generation": accumulation * o.rollout_minibatches,
        "num_iterations": 1,
        "epsilon": o.epsilon,
        "beta": o.beta,
        "loss_type": "grpo",
        "scale_rewards": "group",
        "temperature": o.temperature,
        "top_p": o.top_p,
        "max_completion_length": o.max_completion_length,
        "reward_weights": o.reward_weights or [1.0] * len(o.rewards),
        "sync_ref_model": bool(o.ref_sync_steps) and o.beta > 0 and not o.lora,
        "ref_model_mixup_alpha": 1.0,
        "ref_model_sync_steps": o.ref_sync_steps or 1,
        "mask_truncated_completions": False,  # a truncated completion is scored 0, as the paper does
        "log_completions": False,
    }
    if vllm_mode:
        args.update(use_vllm=True, vllm_mode=vllm_mode, vllm_max_model_length=o.max_prompt_length +
                    o.max_completion_length)
        if vllm_mode == "server" and o.vllm_server_url:
            args["vllm_server_base_url"] = o.vllm_server_url
    if len(args["reward_weights"]) != len(o.rewards):
        raise ConfigError(f"reward_weights {o.reward_weights} has {len(args['reward_weights'])} values for "
                          f"{len(o.rewards)} rewards {o.rewards}")
    return {**args, **o.trl}


def sft_args(o: SFTOptions, use_cpu: bool, eos_token: str | None) -> dict[str, Any]:
    """SFTConfig keyword arguments for resolved options (see presets.SFT_NOTES)."""
    args = {
        **_common_args(o, use_cpu),
        "per_device_train_batch_size": o.per_device_batch,
        "gradient_accumulation_steps": _accumulation(o.batch_size, o.per_device_batch, "batch_size"),
        "max_length": o.max_length,
        "packing": bool(o.packing),
        "completion_only_loss": True,
        "eos_token": eos_token,
        "dataset_num_proc": None,
    }
    return {**args, **o.trl}
