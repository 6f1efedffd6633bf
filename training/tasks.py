"""Small verifiable prompt sets for trying the trainer where compute is scarce.

    python -m training task arithmetic --n 256 --out runs/train/arithmetic.jsonl

`arithmetic`: sums and differences of two small integers, one record per problem in the ingest
format (`problem`, `answer`, `domain`), so the math verifier scores the boxed answer. The problem
carries a short instruction of its own (so ingest adds no "reason step by step" line, which makes
a 135M model ramble past a short length limit). Easy enough that SmolLM2-135M starts above zero,
which GRPO needs: a group whose rewards are all equal has no advantage to learn from.

The records name the integer (`aime`) verifier, not `math`. Under the math verifier our first CPU
run learned within ten steps to answer `\\boxed{4 + 5}`: an expression symbolically equal to the
gold, so "correct", and the question copied rather than solved. A reward must accept only what the
task asks for; here, an integer.
"""
from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from evals.errors import UsageError

INSTRUCTION = "Put your final answer within \\boxed{}."


def arithmetic(n: int, seed: int = 0, max_operand: int = 9) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    records = []
    for i in range(n):
        a, b = rng.randint(1, max_operand), rng.randint(1, max_operand)
        if rng.random() < 0.5:
            problem, answer = f"What is {a} + {b}?", a + b
        else:
            a, b = max(a, b), min(a, b)
            problem, answer = f"What is {a} - {b}?", a - b
        records.append({"id": f"arith-{seed}-{i}", "problem": f"{problem} {INSTRUCTION}", "answer": str(answer),
                        "domain": "math", "verifier": "aime"})
    return records


TASKS = {"arithmetic": arithmetic}


def write(task: str, n: int, out: str, seed: int = 0) -> Path:
    if task not in TASKS:
        raise UsageError(f"unknown task {task!r}; known: {sorted(TASKS)}")
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in TASKS[task](n, seed)), encoding="utf-8")
    return path
