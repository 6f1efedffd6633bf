"""The paper's training recipes as presets, in literal dicts, with where TRL differs said beside each.

Values are in the paper's terms (prompts per step, group size, clip ratio ...); `training.config`
maps them onto TRL's GRPOConfig / SFTConfig names. `python -m training presets` prints them with
the TRL fields they become. Sources: the DeepSeek-R1 paper (§2.2, §2.3, §2.4, Table 6) and its
review in ../shared/seeds/.
"""
from __future__ import annotations

from typing import Any

from evals.config import R1_PROTOCOL

# GRPO (paper §2.2 and the review's hyperparameter table): G=16, eps=10, beta=0.001, lr 3e-6, T=1.0,
# 32 questions x 16 outputs = 512 completions per optimizer step, the reference policy replaced every
# 400 steps, 8,192 outputs per rollout trained as 16 mini-batches for one inner epoch.
_PAPER_GRPO: dict[str, Any] = {
    "learning_rate": 3e-6,
    "num_generations": 16,
    "prompts_per_step": 32,
    "rollout_minibatches": 16,
    "epsilon": 10.0,
    "beta": 0.001,
    "ref_sync_steps": 400,
    "temperature": 1.0,
    "top_p": 1.0,
    "max_completion_length": R1_PROTOCOL.max_tokens,  # the generation limit of the R1 protocol
    "max_prompt_length": 2048,
    "per_device_batch": 8,
    "bf16": True,
    "gradient_checkpointing": True,
}

GRPO_PRESETS: dict[str, dict[str, Any]] = {
    # R1-Zero: RL from the base model, rule rewards only, the <think>/<answer> template.
    "r1_zero": {**_PAPER_GRPO, "rewards": ["accuracy", "format"], "format_template": "r1_zero"},
    # Phase two of R1-Zero: after step 8.2K the length limit went from 32,768 to 65,536 tokens.
    "r1_zero_long": {**_PAPER_GRPO, "rewards": ["accuracy", "format"], "format_template": "r1_zero",
                     "max_completion_length": 65536},
    # R1 stage 1 (reasoning RL after the cold start): R_acc + R_format + R_language (eq. 6).
    "r1_reasoning": {**_PAPER_GRPO, "rewards": ["accuracy", "format", "language"]},
    # R1 stage 2 on reasoning prompts: the same, sampled at temperature 0.7. The paper's model-based
    # helpfulness/safety rewards for general prompts are not included (no reward models here).
    "r1_second_stage": {**_PAPER_GRPO, "rewards": ["accuracy", "format", "language"], "temperature": 0.7},
    # This CPU with SmolLM2-135M, an instruct model that does not think: small groups, short answers,
    # a learning rate suited to 135M parameters (the paper's 3e-6 is for 671B and moves a small model
    # too slowly to see in minutes), temperature 0.7 (at 1.0 it writes mostly noise), and the format
    # reward on a direct boxed answer instead of <think> (SmolLM2 never writes it), at half weight.
    "cpu": {"learning_rate": 3e-5, "num_generations": 8, "prompts_per_step": 4, "rollout_minibatches": 1,
            "epsilon": 10.0, "beta": 0.001, "ref_sync_steps": 400, "temperature": 0.7, "top_p": 1.0,
            "max_completion_length": 48, "max_prompt_length": 256, "per_device_batch": 16, "bf16": False,
            "gradient_checkpointing": False, "rewards": ["accuracy", "format"], "reward_weights": [1.0, 0.5],
            "format_template": "answer", "require_boxed": True, "max_steps": 40},
}

GRPO_NOTES: tuple[str, ...] = (
    "clip ratio 10 -> epsilon=10: TRL clips the ratio to [1-eps, 1+eps]; with eps=10 the lower bound is negative, "
    "so only ratios above 11 are clipped, which is what the paper intends (clipping effectively off, KL keeps it stable).",
    "loss_type='grpo': the paper's objective averages each output over its own tokens, then over the group; "
    "TRL's default ('dapo') normalises over all tokens of the batch instead.",
    "KL: TRL uses the same unbiased estimator as the paper's eq. 2, per token, averaged like the loss.",
    "reference refresh every 400 steps -> sync_ref_model=True, ref_model_mixup_alpha=1.0, ref_model_sync_steps=400 "
    "(not available with LoRA, where the reference is the adapter-free base).",
    "32 prompts x 16 outputs per step -> the optimizer step sees 512 completions: "
    "per_device_train_batch_size x gradient_accumulation_steps x processes = 512.",
    "8,192 outputs per rollout in 16 mini-batches -> steps_per_generation = 16 x gradient_accumulation_steps; "
    "the later mini-batches are off-policy by up to 15 updates, corrected by the clipped importance ratio as in the paper.",
    "length 32,768 then 65,536 after step 8.2K: TRL fixes max_completion_length for a run, so this is two runs: "
    "`r1_zero`, then `r1_zero_long` with --resume-from the step-8200 checkpoint.",
    "rewards: TRL sums the weighted rewards per completion (reward_weights) and standardises them within each "
    "group (scale_rewards='group'), the paper's A_i = (r_i - mean) / std.",
)

# SFT (paper §2.3.3, §2.4, Table 6 via the review): cosine decay to a tenth of the initial rate,
# sequences up to 32,768 tokens, 2-3 epochs (we take 2).
_PAPER_SFT: dict[str, Any] = {"lr_min_ratio": 0.1, "max_length": R1_PROTOCOL.max_tokens, "num_train_epochs": 2, "packing": True,
                              "per_device_batch": 1, "bf16": True, "gradient_checkpointing": True}

SFT_PRESETS: dict[str, dict[str, Any]] = {
    # cold start and the 800K reasoning SFT of DeepSeek-V3-Base: 5e-5 -> 5e-6, batch 128
    "cold_start": {**_PAPER_SFT, "learning_rate": 5e-5, "batch_size": 128},
    "r1_sft": {**_PAPER_SFT, "learning_rate": 5e-5, "batch_size": 128},
    # distillation into the open students (Table 6): learning rate by student, batch 64
    "distill_qwen_1.5b": {**_PAPER_SFT, "learning_rate": 1e-4, "batch_size": 64},
    "distill_qwen_7b": {**_PAPER_SFT, "learning_rate": 8e-5, "batch_size": 64},
    "distill_qwen_14b": {**_PAPER_SFT, "learning_rate": 7e-5, "batch_size": 64},
    "distill_qwen_32b": {**_PAPER_SFT, "learning_rate": 6e-5, "batch_size": 64},
    "distill_llama_8b": {**_PAPER_SFT, "learning_rate": 5e-5, "batch_size": 64},
    "distill_llama_70b": {**_PAPER_SFT, "learning_rate": 2e-5, "batch_size": 64},
    # this CPU with SmolLM2-135M: short sequences, a few dozen steps, no packing (see SFT_NOTES)
    "cpu": {"learning_rate": 1e-4, "lr_min_ratio": 0.1, "max_length": 512, "num_train_epochs": 1, "packing": False,
            "per_device_batch": 4, "batch_size": 4, "bf16": False, "gradient_checkpointing": False, "max_steps": 30},
}

SFT_NOTES: tuple[str, ...] = (
    "cosine decay to a tenth -> lr_scheduler_type='cosine_with_min_lr', lr_scheduler_kwargs={'min_lr_rate': 0.1}.",
    "batch 64 / 128 sequences -> per_device_train_batch_size x gradient_accumulation_steps x processes.",
    "packing: TRL's best-fit-decreasing packing keeps sequences apart only with a varlen attention kernel "
    "(flash-attention); with sdpa or eager attention packed sequences attend to each other, so packing is off on CPU.",
    "loss on the completion only (the assistant turn with its reasoning), as rendered by training.data.",
    "the paper does not say whether the 2-3 epochs differ by student; the presets take 2 (set num_train_epochs).",
)

