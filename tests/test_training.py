"""Training without training: reward adapters, presets mapped onto TRL, data rendering, the CLI.

The model-driven runs (GRPO, SFT, distillation, evaluating the checkpoint) are in
tests/test_training_e2e.py.
"""
from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from evals.errors import ConfigError
from evals.verifiers.format_check import verify_format
from evals.verifiers.math_verifier import verify_math
from tests.conftest import replay_file
from training.config import GRPOOptions, SFTOptions, grpo_args, resolve, sft_args
from training.rewards import AccuracyReward, RewardOptions, build_rewards

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def replay_rows():
    """Real completions of an R1 distill on MATH-500 with their references, as reward columns."""
    data = json.loads(replay_file("tldr7b_math500_n1.json").read_text())
    rows = []
    for problem, item in list(data.items())[:40]:
        rows.append({"prompt_id": item["unique_id"], "problem": problem, "verifier": "math",
                     "reference": json.dumps(item["answer"]), "completion": item["responses"]["0.7"][0]["content"]})
    return rows


@pytest.fixture(scope="module")
def accuracy(pool):
    return AccuracyReward(RewardOptions(), pool=pool)


def _columns(rows):
    return {key: [r[key] for r in rows] for key in ("prompt_id", "problem", "verifier", "reference")}


def test_accuracy_reward_is_the_math_verdict_on_real_completions(accuracy, replay_rows):
    scores = accuracy(prompts=[r["problem"] for r in replay_rows], completions=[r["completion"] for r in replay_rows],
                      **_columns(replay_rows))
    expected = [verify_math(r["completion"], json.loads(r["reference"])).score for r in replay_rows]
    assert scores == expected
    assert 0 < sum(scores) < len(scores)  # both outcomes are in the table


def test_rows_without_a_rule_reference_get_none(accuracy):
    rows = {"verifier": ["math", "none", "judge", "math"], "reference": [json.dumps("4"), None, json.dumps("x"), None]}
    scores = accuracy(prompts=["p"] * 4, completions=["\\boxed{4}"] * 4, **rows)
    assert scores == [1.0, None, None, None]


def test_choice_aime_and_conversational_completions(accuracy):
    completions = [[{"role": "assistant", "content": "The answer is (B)."}], "So the answer is \\boxed{204}.",
                   "\\boxed{204}"]
    scores = accuracy(prompts=["q"] * 3, completions=completions, verifier=["choice", "aime", "aime"],
                      reference=[json.dumps("B"), json.dumps("204"), json.dumps("205")],
                      verify_opts=[json.dumps({"n_options": 4}), "{}", "{}"])
    assert scores == [1.0, 1.0, 0.0]


def test_code_reward_runs_the_sandboxed_judge(accuracy):
    problem = {"id": "add", "statement": "add two numbers", "tests": [{"input": "1 2\n", "output": "3\n"},
                                                                       {"input": "5 7\n", "output": "12\n"}]}
    right = "```python\na, b = map(int, input().split())\nprint(a + b)\n```"
    wrong = "```python\nprint(3)\n```"
    scores = accuracy(prompts=["q"] * 2, completions=[right, wrong], verifier=["code", "code"],
                      reference=[json.dumps(problem)] * 2, verify_opts=[json.dumps({"language": "python"})] * 2)
    assert scores == [1.0, 0.0]


def test_a_completion_cut_at_the_length_limit_scores_zero(pool):
    reward = AccuracyReward(RewardOptions(max_completion_length=4, eos_token_ids=(2,)), pool=pool)
    logged = []
    reward.log = lambda name, rows, texts, kwargs: logged.extend(rows)
    scores = reward(prompts=["q"] * 2, completions=["\\boxed{4}"] * 2, completion_ids=[[5, 6, 7, 8], [5, 6, 7, 2]],
                    verifier=["math", "math"], reference=[json.dumps("4")] * 2)
    assert scores == [0.0, 1.0]
    assert [r["reason"] for r in logged] == ["truncated", "correct"]
    assert [r["finish_reason"] for r in logged] == ["length", "stop"]


@pytest.mark.parametrize("options,paid", [(RewardOptions(), 0.0), (RewardOptions(require_evaluated=False), 1.0)])
def test_an_unevaluated_answer_is_not_paid_by_default(pool, options, paid):
    """`\\boxed{4+5}` for 9 is equal but restates the computation: a policy paid for it stops computing
    (the arithmetic run found it). The reward refuses it unless asked not to; the log says why."""
    reward = AccuracyReward(options, pool=pool)
    logged = []
    reward.log = lambda name, rows, texts, kwargs: logged.extend(rows)
    completions = ["\\boxed{4+5}", "\\boxed{9}", "\\boxed{\\binom{5}{2}}", "\\boxed{4+5}"]
    scores = reward(prompts=["q"] * 4, completions=completions, verifier=["math", "math", "math", "aime"],
                    reference=[json.dumps("9"), json.dumps("9"), json.dumps("10"), json.dumps("9")])
    assert scores == [paid, 1.0, paid, 0.0]  # AIME wants an integer literal whatever the option
    if not paid:
        assert [(logged[i]["reason"], logged[i]["method"]) for i in (0, 2)] == [("wrong_answer", "unevaluated")] * 2


def test_grpo_runs_record_the_strict_reward_setting(tmp_path):
    from training.record import RunRecord

    options = GRPOOptions(data="prompts.jsonl")
    assert options.require_evaluated is True and RewardOptions().require_evaluated is True
    RunRecord(str(tmp_path), "grpo", options, {})
    assert json.loads((tmp_path / "run.json").read_text())["options"]["require_evaluated"] is True


def test_a_missing_column_is_named(accuracy):
    with pytest.raises(KeyError, match="needs the dataset column 'reference'"):
        accuracy(prompts=["q"], completions=["x"], verifier=["math"], answer=["4"])


def test_safe_from_threads_and_inside_an_event_loop(accuracy, replay_rows):
    """TRL calls rewards from worker threads and its async loop: no SIGALRM, no shared state."""
    kwargs = _columns(replay_rows)
    completions = [r["completion"] for r in replay_rows]
    expected = accuracy(prompts=completions, completions=completions, **kwargs)
    results: list = []
    threads = [threading.Thread(target=lambda: results.append(accuracy(prompts=completions, completions=completions,
                                                                       **kwargs))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 3

    async def in_loop():
        return await asyncio.to_thread(accuracy, prompts=completions, completions=completions, **kwargs)

    assert asyncio.run(in_loop()) == expected


def test_format_and_language_rewards():
    fmt, lang = build_rewards(["format", "language"], RewardOptions(think_prefilled=True))
    good = "Let me add 2 and 2, which gives 4.\n</think>\n\nThe answer is \\boxed{4}."
    assert fmt(prompts=["q"] * 2, completions=[good, "no thinking at all"]) == [1.0, 0.0]
    assert verify_format(good, think_prefilled=True).score == 1.0
    mixed = ("First we add the two numbers carefully and check the result. 然后我们再检查一下这个结果是否正确，"
             "确认没有问题，答案是四。\n</think>\n\n\\boxed{4}")
    english, chinese = lang(prompts=["q"] * 2, completions=[good, mixed], problem=["What is 2 + 2?"] * 2)
    assert english == 1.0 and 0.2 < chinese < 0.8


def test_unknown_reward_is_refused():
    with pytest.raises(ValueError, match="unknown reward"):
        build_rewards(["accuracy", "helpfulness"], RewardOptions())


def test_paper_grpo_preset_maps_onto_grpo_config(tmp_path):
    from trl import GRPOConfig

    o = resolve(GRPOOptions(preset="r1_reasoning", data="x", output_dir=str(tmp_path)), "grpo")
    args = grpo_args(o, use_cpu=True, vllm_mode=None)
    config = GRPOConfig(**args)  # every name is a real GRPOConfig field
    assert (config.num_generations, config.epsilon, config.beta, config.learning_rate, config.temperature) == \
        (16, 10.0, 0.001, 3e-6, 1.0)
    assert config.per_device_train_batch_size * config.gradient_accumulation_steps == 32 * 16
    assert config.steps_per_generation == 16 * config.gradient_accumulation_steps
    assert (config.sync_ref_model, config.ref_model_mixup_alpha, config.ref_model_sync_steps) == (True, 1.0, 400)
    assert (config.loss_type, config.max_completion_length, config.reward_weights) == ("grpo", 32768, [1.0] * 3)
    long = resolve(GRPOOptions(preset="r1_zero_long", data="x", output_dir=str(tmp_path)), "grpo")
    assert long.max_completion_length == 65536 and long.format_template == "r1_zero"


def test_overrides_beat_the_preset_and_bad_batches_are_refused(tmp_path):
    o = resolve(GRPOOptions(preset="r1_reasoning", learning_rate=1e-6, reward_weights=["1", "0.5", "0.5"]), "grpo")
    assert o.learning_rate == 1e-6 and o.reward_weights == [1.0, 0.5, 0.5] and o.beta == 0.001
    assert o.output_dir.endswith("grpo-r1_reasoning")
    with pytest.raises(ConfigError, match="not a multiple"):
        grpo_args(resolve(GRPOOptions(preset="cpu", per_device_batch=5), "grpo"), use_cpu=True, vllm_mode=None)
    with pytest.raises(ConfigError, match="unknown grpo preset"):
        resolve(GRPOOptions(preset="r2"), "grpo")


@pytest.mark.parametrize("preset, lr, batch", [("cold_start", 5e-5, 128), ("distill_qwen_1.5b", 1e-4, 64),
                                               ("distill_qwen_7b", 8e-5, 64), ("distill_llama_70b", 2e-5, 64)])
def test_sft_presets_map_onto_sft_config(tmp_path, preset, lr, batch):
    from trl import SFTConfig

    o = resolve(SFTOptions(preset=preset, output_dir=str(tmp_path), bf16=False), "sft")
    config = SFTConfig(**sft_args(o, use_cpu=True, eos_token="<|im_end|>"))
    assert config.learning_rate == lr
    assert config.per_device_train_batch_size * config.gradient_accumulation_steps == batch
    assert (config.lr_scheduler_type, config.lr_scheduler_kwargs) == ("cosine_with_min_lr", {"min_lr_rate": 0.1})
    assert (config.max_length, config.packing, config.completion_only_loss) == (32768, True, True)


# ---- data: the chat-template trap ------------------------------------------------------------------------------

# The part of the DeepSeek-R1-Distill template that matters here: assistant turns lose everything up to
# </think>, and the generation prompt opens <think>.
R1_DISTILL_TEMPLATE = (
    "{{ bos_token }}{% for m in messages %}{% if m['role'] == 'user' %}<｜User｜>{{ m['content'] }}"
    "{% elif m['role'] == 'assistant' %}{% set c = m['content'] %}{% if '</think>' in c %}"
    "{% set c = c.split('</think>')[-1] %}{% endif %}<｜Assistant｜>{{ c }}<|im_end|>{% endif %}{% endfor %}"
    "{% if add_generation_prompt %}<｜Assistant｜><think>\n{% endif %}"
)


@pytest.fixture(scope="module")
def tokenizer():
    from transformers import AutoTokenizer

    from evals.models import local_weights, resolve_model

    return AutoTokenizer.from_pretrained(local_weights(resolve_model("smollm2-135m-instruct")))


def test_smollm2_template_facts(tokenizer):
    from training.data import template_facts

    facts = template_facts(tokenizer)
    assert (facts.opens_think, facts.drops_reasoning, facts.end_of_turn, facts.eos_matches) == \
        (False, False, "<|im_end|>", True)


def test_a_template_that_drops_reasoning_still_trains_on_it(tokenizer):
    import copy

    from training.data import render_pair, template_facts

    tok = copy.deepcopy(tokenizer)
    tok.chat_template = R1_DISTILL_TEMPLATE
    facts = template_facts(tok)
    assert facts.opens_think and facts.drops_reasoning
    prompt = [{"role": "user", "content": "What is 2 + 2?"}]
    assistant = "<think>\nTwo plus two is four.\n</think>\n\n\\boxed{4}"
    # what rendering the conversation with the template (TRL's path for `messages`) would train on:
    lost = tok.apply_chat_template(prompt + [{"role": "assistant", "content": assistant}], tokenize=False)
    assert "Two plus two" not in lost
    pair = render_pair(prompt, assistant, tok, facts)
    assert pair["prompt"].endswith("<｜Assistant｜><think>\n")
    assert pair["completion"] == "Two plus two is four.\n</think>\n\n\\boxed{4}<|im_end|>"


def test_a_bos_written_by_both_template_and_tokenizer_is_kept_once(tokenizer):
    import copy

    from training.data import render_pair, template_facts

    tok = copy.deepcopy(tokenizer)
    tok.chat_template = R1_DISTILL_TEMPLATE  # writes {{ bos_token }} first
    tok.add_bos_token = True  # ... and the tokenizer adds it too, as Llama-family tokenizers do
    facts = template_facts(tok)
    assert facts.doubled_bos == tok.bos_token
    pair = render_pair([{"role": "user", "content": "hi"}], "<think>\nr\n</think>\n\na", tok, facts)
    ids = tok(pair["prompt"]).input_ids
    assert ids[0] == tok.bos_token_id and ids[1] != tok.bos_token_id
    assert template_facts(tokenizer).doubled_bos is None


def test_load_prompts_reads_like_ingest_and_names_bad_records(tmp_path):
    from training.data import DataError, load_prompts
    from training.tasks import arithmetic

    good = tmp_path / "p.jsonl"
    good.write_text("".join(json.dumps(r) + "\n" for r in arithmetic(5)))
    ds = load_prompts(str(good))
    assert set(ds.column_names) >= {"prompt", "verifier", "reference", "problem", "prompt_id"}
    assert ds[0]["verifier"] == "aime" and json.loads(ds[0]["reference"]) == arithmetic(5)[0]["answer"]
    assert ds[0]["prompt"][0]["content"] == arithmetic(5)[0]["problem"]  # its own instruction, no second one
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"problem": "1+1?", "domain": "math"}) + "\n")
    with pytest.raises(DataError, match=r"bad.jsonl: record 1 has no reference answer"):
        load_prompts(str(bad))


def test_export_files_finds_formats_and_refuses_other_dirs(tmp_path):
    from training.data import DataError, export_files

    (tmp_path / "export" / "prompt_completion").mkdir(parents=True)
    (tmp_path / "export" / "prompt_completion" / "train-00000-of-00001.parquet").write_bytes(b"")
    kind, files = export_files(str(tmp_path / "export"))
    assert kind == "parquet" and files[0].endswith("train-00000-of-00001.parquet")
    with pytest.raises(DataError, match="no messages/ or prompt_completion/"):
        export_files(str(tmp_path))


# ---- the command line -----------------------------------------------------------------------------------------

def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "training", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


@pytest.mark.parametrize("command", ["grpo", "sft", "distill", "task"])
def test_every_command_has_help(command):
    out = _cli(command, "--help")
    assert out.returncode == 0 and "usage: python -m training" in out.stdout


def test_presets_print_with_their_trl_mapping():
    out = _cli("presets")
    assert out.returncode == 0 and "r1_zero_long" in out.stdout and "ref_model_sync_steps=400" in out.stdout


def test_config_file_errors_are_clear(tmp_path):
    config = tmp_path / "grpo.toml"
    config.write_text('[grpo]\npreset = "cpu"\nlearning_rat = 1e-5\n')
    out = _cli("grpo", "--config", str(config))
    assert out.returncode != 0 and "unknown keys ['learning_rat']" in out.stderr
    out = _cli("grpo", "--preset", "cpu")
    assert out.returncode != 0 and "grpo needs --data" in out.stderr
