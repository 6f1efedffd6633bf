"""Training on the evals verifiers: GRPO with verifier rewards, SFT and distillation on curation exports.

A thin layer over TRL (GRPOTrainer, SFTTrainer, DistillationTrainer): the paper's settings as
presets, reward adapters over `evals.verifiers`, template-safe rendering of reasoning data, and a
record of every run. Run `python -m training --help`.
"""
from .rewards import REWARDS, AccuracyReward, FormatReward, LanguageReward, RewardOptions, build_rewards

__all__ = ["REWARDS", "AccuracyReward", "FormatReward", "LanguageReward", "RewardOptions", "build_rewards"]
