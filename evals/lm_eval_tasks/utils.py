"""The `!function` hooks of the r1_* task YAMLs: our loaders build the docs, our verifiers score them."""
from __future__ import annotations

import json
import os
from typing import Any

from evals.benchmarks import BENCHMARKS


def _dataset(name: str):
    def build(**kwargs: Any):
        """lm-eval calls this with the task's metadata (YAML, --metadata, and on the CLI the model args)."""
        import datasets

        # A local data file, as `--data NAME=PATH` does for our runner: --metadata '{"NAME": PATH}' or R1_EVALS_NAME.
        path = kwargs.get(name) or os.environ.get(f"R1_EVALS_{name.upper()}")
        bench = BENCHMARKS[name]
        try:
            problems = bench.load({name: str(path)} if path else {})
        except FileNotFoundError as exc:  # its advice names our CLI's --data; say how lm-eval passes a file
            raise FileNotFoundError(f"{exc}\nWith lm-eval: --metadata '{{\"{name}\": \"PATH\"}}' or "
                                    f"R1_EVALS_{name.upper()}=PATH") from exc
        rows = [
            {"id": p.id, "text": p.text, "prompt": p.messages[0]["content"], "reference": str(p.reference),
             "verifier": bench.verifier, "verify_opts": json.dumps(p.verify_opts)}
            for p in problems
        ]
        return datasets.DatasetDict({"test": datasets.Dataset.from_list(rows)})

    return build


aime24, aime25, math500, gpqa_diamond = (_dataset(n) for n in ("aime24", "aime25", "math500", "gpqa_diamond"))


def keep_all(resps, docs):
    """Filter that keeps all k responses (lm-eval's default keeps only the first of `repeats`)."""
    return resps


def process_results(doc: dict, results: list) -> dict[str, float]:
    """pass@1 of one problem: the mean verdict of its k completions, from our bounded verifier pool."""
    from evals.verifiers import verify_batch
    from evals.verifiers.registry import answer_options

    completions = [c for r in results for c in (r if isinstance(r, list) else [r])]
    opts = {**json.loads(doc["verify_opts"]),
            **answer_options(doc["verifier"], think_prefilled=os.environ.get("R1_EVALS_THINK_PREFILLED") == "1")}
    unique = list(dict.fromkeys(completions))  # the verifier is deterministic: check each distinct text once
    verdicts = dict(zip(unique, verify_batch([(doc["verifier"], c, doc["reference"], opts) for c in unique])))
    return {"pass@1": sum(verdicts[c].score for c in completions) / len(completions)}
