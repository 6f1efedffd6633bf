"""Training with the real model (SmolLM2-135M on CPU), a few steps each: the plumbing end to end.

- GRPO: the rewards receive the dataset's columns for the right rows and return the verifiers' scores
  (checked against the verifier called directly on the logged completions); the run is recorded;
- the checkpoint saves, loads, and `python -m evals run --model <checkpoint>` evaluates it;
- SFT on a curation export: the loss falls;
- on-policy distillation (TRL DistillationTrainer) runs a step from the same export's prompts.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from training.config import GRPOOptions, SFTOptions

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def grpo_run(tmp_path_factory):
    from training.grpo import run
    from training.tasks import write

    work = tmp_path_factory.mktemp("grpo")
    data = write("arithmetic", 16, str(work / "prompts.jsonl"), seed=3)
    options = GRPOOptions(preset="cpu", data=str(data), output_dir=str(work / "run"), max_steps=2,
                          num_generations=4, prompts_per_step=2, per_device_batch=8, max_completion_length=24,
                          reward_weights=[1.0, 0.5])
    final = run(options)
    return work, final


def test_grpo_rewards_get_the_right_columns_and_return_verifier_scores(grpo_run):
    from evals.verifiers.format_check import verify_format
    from evals.verifiers.math_verifier import verify_aime

    work, _ = grpo_run
    answers = {f"prompts:{json.loads(line)['id']}": json.loads(line)["answer"]
               for line in (work / "prompts.jsonl").read_text().splitlines()}
    rows = [json.loads(line) for line in (work / "run" / "rollouts.jsonl").read_text().splitlines()]
    accuracy = [r for r in rows if r["reward"] == "accuracy"]
    formats = [r for r in rows if r["reward"] == "format"]
    assert len(accuracy) == len(formats) == 2 * 2 * 4  # steps x prompts x group
    for row in accuracy:
        assert row["prompt_id"] in answers  # the reward saw this row's own columns
        verdict = verify_aime(row["completion"], answers[row["prompt_id"]], finish_reason=row["finish_reason"])
        assert (row["score"], row["reason"]) == (verdict.score, verdict.reason)
    for acc, fmt in zip(accuracy, formats):
        assert fmt["prompt_id"] == acc["prompt_id"]
        expected = verify_format(acc["completion"], template="answer", require_boxed=True,
                                 finish_reason=acc["finish_reason"]).score
        assert fmt["score"] == expected
    # groups: each prompt's 4 completions come together, with the same prompt id
    ids = [r["prompt_id"] for r in accuracy]
    assert all(len(set(ids[i:i + 4])) == 1 for i in range(0, len(ids), 4))


def test_grpo_run_is_recorded(grpo_run):
    from training.record import read_metrics

    work, final = grpo_run
    info = json.loads((work / "run" / "run.json").read_text())
    assert info["status"] == "done" and info["step"] == 2 and info["checkpoint"] == str(final)
    assert info["trl_config"]["epsilon"] == 10.0 and info["trl_config"]["num_generations"] == 4
    assert info["versions"]["trl"] and info["versions"]["torch"] and info["versions"]["verifier"]
    assert info["template"]["end_of_turn"] == "<|im_end|>"
    metrics = [m for m in read_metrics(work / "run") if "reward" in m]
    assert [m["step"] for m in metrics] == [1, 2]
    assert all("rewards/accuracy/mean" in m and "rewards/format/mean" in m and "kl" in m for m in metrics)


def test_checkpoint_loads_and_the_evaluation_runs_it(grpo_run, tmp_path):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    _, final = grpo_run
    model = AutoModelForCausalLM.from_pretrained(final)
    tokenizer = AutoTokenizer.from_pretrained(final)
    assert model.num_parameters() > 100e6 and tokenizer.chat_template
    out = subprocess.run([sys.executable, "-m", "evals", "run", "--model", str(final), "--benchmark", "math500",
                          "--limit", "2", "--samples", "1", "--max-tokens", "24", "--db", str(tmp_path / "store")],
                         capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert out.returncode == 0, out.stderr[-3000:]
    assert "math500" in out.stdout + out.stderr
    results = list((tmp_path / "store").rglob("*.parquet"))
    assert results, "the evaluation stored no samples"


@pytest.fixture(scope="module")
def export_dir(tmp_path_factory):
    from .fixtures.synthetic_export import synthetic_export

    return synthetic_export(str(tmp_path_factory.mktemp("curation")), 240)


def test_sft_loss_falls_on_a_curation_export(export_dir, tmp_path):
    from training.record import read_metrics
    from training.sft import run

    final = run(SFTOptions(preset="cpu", data=[export_dir], output_dir=str(tmp_path / "sft"), max_steps=16,
                           max_length=192))
    losses = [float(m["loss"]) for m in read_metrics(tmp_path / "sft") if "loss" in m]
    assert len(losses) == 16
    first, last = sum(losses[:4]) / 4, sum(losses[-4:]) / 4
    assert last < 0.8 * first, losses
    info = json.loads((tmp_path / "sft" / "run.json").read_text())
    assert info["status"] == "done" and info["trl_config"]["completion_only_loss"] is True
    assert (final / "model.safetensors").exists()


def test_on_policy_distillation_runs_a_step(export_dir, tmp_path):
    from training.sft import run

    final = run(SFTOptions(preset="cpu", data=[export_dir], teacher="smollm2-135m-instruct",
                           output_dir=str(tmp_path / "opd"), max_steps=1, limit=4, max_completion_length=16),
                command="distill")
    info = json.loads((tmp_path / "opd" / "run.json").read_text())
    assert info["status"] == "done" and info["mode"] == "on_policy" and (final / "config.json").exists()
