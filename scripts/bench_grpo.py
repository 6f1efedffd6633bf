"""GRPO on this CPU: does the verifier reward rise? Prints the reward curve and a before/after test.

    python scripts/bench_grpo.py                    # SmolLM2-135M, the `cpu` preset, 40 steps
    python scripts/bench_grpo.py --steps 60 --workdir runs/bench_grpo

1. writes an easy boxed-arithmetic prompt set (training task `arithmetic`) and a held-out set;
2. trains with `python -m training grpo` (preset `cpu`: accuracy + format rewards from the evals verifiers);
3. prints the curve from metrics.jsonl (mean accuracy and format reward per step, KL, length, seconds);
4. compares the share of correct rollouts in the first and last quarter of training (two-proportion z);
5. scores the base model and the checkpoint on the held-out problems with the same verifier
   (greedy, same prompt, same length limit).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def held_out_accuracy(model_path: str, records: list[dict], max_new_tokens: int) -> float:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from evals.verifiers.registry import resolve

    tok = AutoTokenizer.from_pretrained(model_path)
    tok.padding_side = "left"
    model = AutoModelForCausalLM.from_pretrained(model_path, dtype=torch.float32)
    texts = [tok.apply_chat_template([{"role": "user", "content": r["problem"]}], tokenize=False,
                                     add_generation_prompt=True) for r in records]
    correct = 0
    for start in range(0, len(texts), 16):
        enc = tok(texts[start:start + 16], return_tensors="pt", padding=True)
        with torch.no_grad():
            out = model.generate(**enc, do_sample=False, max_new_tokens=max_new_tokens,
                                 pad_token_id=tok.pad_token_id or tok.eos_token_id)
        replies = tok.batch_decode(out[:, enc.input_ids.shape[1]:], skip_special_tokens=True)
        correct += sum(resolve(r["verifier"])(c, r["answer"]).correct
                       for c, r in zip(replies, records[start:start + 16]))
    return correct / len(records)


def quarter_test(rollouts: Path, steps: int) -> tuple[tuple[int, int], tuple[int, int], float]:
    """(correct, n) in the first and last quarter of steps, and the two-proportion z statistic."""
    rows = [json.loads(line) for line in rollouts.read_text().splitlines()]
    acc = [r for r in rows if r["reward"] == "accuracy" and r["score"] is not None]
    q = max(1, steps // 4)
    first = [r["score"] for r in acc if r["step"] < q]
    last = [r["score"] for r in acc if r["step"] >= steps - q]
    a, b = (int(sum(first)), len(first)), (int(sum(last)), len(last))
    p1, p2 = a[0] / max(a[1], 1), b[0] / max(b[1], 1)
    pooled = (a[0] + b[0]) / max(a[1] + b[1], 1)
    se = math.sqrt(pooled * (1 - pooled) * (1 / max(a[1], 1) + 1 / max(b[1], 1))) or float("nan")
    return a, b, (p2 - p1) / se


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--workdir", default="runs/bench_grpo")
    parser.add_argument("--held-out", type=int, default=96, help="held-out problems for the before/after test")
    parser.add_argument("--learning-rate", type=float, help="override the preset's")
    args = parser.parse_args()

    from training.config import GRPOOptions
    from training.grpo import run
    from training.record import read_metrics
    from training.tasks import arithmetic, write

    work = Path(args.workdir)
    prompts = write("arithmetic", 2048, str(work / "train.jsonl"), seed=1)
    held_out = arithmetic(args.held_out, seed=2)
    started = time.time()
    options = GRPOOptions(preset="cpu", data=str(prompts), output_dir=str(work / "run"), max_steps=args.steps,
                          learning_rate=args.learning_rate)
    final = run(options)
    seconds = time.time() - started
    metrics = [m for m in read_metrics(work / "run") if "rewards/accuracy/mean" in m]

    print(f"\nGRPO, preset cpu, SmolLM2-135M-Instruct, {args.steps} steps in {seconds / 60:.1f} min "
          f"({seconds / max(args.steps, 1):.1f} s/step)")
    print(f"{'step':>4} {'reward':>7} {'accuracy':>8} {'format':>7} {'kl':>8} {'length':>7} {'s':>6}")
    for m in metrics:
        print(f"{m['step']:>4} {float(m['reward']):7.3f} {float(m['rewards/accuracy/mean']):8.3f} "
              f"{float(m.get('rewards/format/mean', 'nan')):7.3f} {float(m.get('kl', 0)):8.5f} "
              f"{float(m['completions/mean_length']):7.1f} {float(m.get('step_time', 'nan')):6.1f}")
    a, b, z = quarter_test(work / "run" / "rollouts.jsonl", args.steps)
    print(f"\ncorrect rollouts, first quarter: {a[0]}/{a[1]} = {a[0] / max(a[1], 1):.3f}; "
          f"last quarter: {b[0]}/{b[1]} = {b[0] / max(b[1], 1):.3f}; two-proportion z = {z:.2f}")
    from evals.models import local_weights, resolve_model

    base = held_out_accuracy(local_weights(resolve_model(options.model)), held_out, 48)
    trained = held_out_accuracy(str(final), held_out, 48)
    print(f"held-out accuracy ({len(held_out)} problems, greedy, same verifier): base {base:.3f} -> trained {trained:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
