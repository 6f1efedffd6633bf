"""Our benchmarks as lm-eval tasks, scored by our verifiers (lm-eval's own math graders differ).

    lm_eval --model vllm --model_args pretrained=deepseek-ai/DeepSeek-R1-Distill-Qwen-7B,max_model_len=34816 \\
        --tasks r1_math500 --include_path "$(python -c 'import evals.lm_eval_tasks as t; print(t.TASKS_DIR)')" \\
        --apply_chat_template

`--apply_chat_template` is part of the protocol: without it the model sees the bare prompt, not the
chat our runner sends. Tasks: r1_aime24, r1_aime25, r1_math500, r1_gpqa_diamond (tag r1_evals).
k (lm-eval `repeats`) is the R1 protocol's: 64 for AIME, 4 for MATH-500, 8 for GPQA; the metric
`pass@1` is the mean verdict over the k samples, then over problems.
GPQA is never stored here: give a local copy with `--metadata '{"gpqa_diamond": "/path/gpqa_diamond.csv"}'`
or R1_EVALS_GPQA_DIAMOND=/path, or accept its terms on the Hub (so `--tasks r1_evals` needs one of them).
Leave lm-eval's `think_end_token` unset: our verifiers split at </think> themselves. R1 distills' templates
open <think> in the prompt: set R1_EVALS_THINK_PREFILLED=1 so that a completion that never closed it counts
as truncated, as our runner does (lm-eval passes no finish reason, so that is the only truncation signal).
"""
from pathlib import Path

TASKS_DIR = Path(__file__).parent
