"""Our benchmarks as lm-eval tasks (evals/lm_eval_tasks): found through --include_path, built offline,
prompted exactly as our runner prompts, and scored exactly as our runner scores the same completions."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # lm-eval and datasets must never reach for the Hub here
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

import lm_eval  # noqa: E402  (the dev extra installs it)
from lm_eval.api.model import LM  # noqa: E402
from lm_eval.tasks import TaskManager  # noqa: E402

from evals.benchmarks import BENCHMARKS  # noqa: E402
from evals.lm_eval_tasks import TASKS_DIR  # noqa: E402

from .conftest import ROOT, replay_file  # noqa: E402

TASKS = {"aime24": "r1_aime24", "aime25": "r1_aime25", "math500": "r1_math500", "gpqa_diamond": "r1_gpqa_diamond"}


@pytest.fixture(scope="module")
def task_manager():
    return TaskManager(include_path=str(TASKS_DIR))  # with lm-eval's own tasks, as the CLI has them (~5 s)


def test_tasks_are_indexed_and_shipped(task_manager):
    assert set(TASKS.values()) | {"r1_evals"} <= set(task_manager.all_tasks)
    # the YAMLs are package data: the wheel carries exactly what --include_path points at
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"lm_eval_tasks/*.yaml"' in pyproject
    assert {p.name for p in TASKS_DIR.glob("*.yaml")} >= {f"{t}.yaml" for t in TASKS.values()}


@pytest.mark.parametrize("name", ["aime24", "aime25", "math500"])
def test_docs_and_prompts_match_our_benchmarks(task_manager, name):
    task = task_manager.load([TASKS[name]])["tasks"][TASKS[name]]
    problems = BENCHMARKS[name].load({})
    docs = list(task.eval_docs)
    assert len(docs) == len(problems) == {"math500": 500}.get(name, 30)
    for doc, p in zip(docs, problems):
        assert doc["id"] == p.id and task.doc_to_text(doc) == p.messages[0]["content"]
        assert task.doc_to_target(doc) == str(p.reference)
    cfg = task.config
    assert cfg.repeats == BENCHMARKS[name].default_samples  # k of the R1 protocol
    assert cfg.num_fewshot == 0 and cfg.generation_kwargs == {
        "until": [], "do_sample": True, "temperature": 0.6, "top_p": 0.95, "max_gen_toks": 32768}


class ReplayLM(LM):
    """Answers each request with stored completions, looked up by the user message it was sent.

    Its chat template is JSON, so the test sees the exact chat lm-eval builds with --apply_chat_template.
    The j-th copy of a repeated request gets the j-th completion of its problem."""

    def __init__(self, completions: dict[str, list[str]]):
        super().__init__()
        self.completions, self.chats, self.served = completions, [], Counter()

    def apply_chat_template(self, chat_history, add_generation_prompt=True):
        return json.dumps(chat_history)

    @property
    def tokenizer_name(self):
        return "replay-json"

    def generate_until(self, requests, disable_tqdm=False):
        out = []
        for request in requests:
            chat = json.loads(request.args[0])
            self.chats.append(chat)
            prompt = chat[-1]["content"]
            out.append(self.completions[prompt][self.served[prompt] % len(self.completions[prompt])])
            self.served[prompt] += 1
        return out

    def loglikelihood(self, requests):
        raise NotImplementedError

    def loglikelihood_rolling(self, requests):
        raise NotImplementedError


def _skythought(path: Path, name: str, limit: int, k: int) -> dict[str, list[str]]:
    """Problem id -> the first k stored completions. MATH-500 pairs by unique_id; AIME by letters and digits
    of the problem, else by answer where that is unique (two of the file's problems carry [asy] diagrams)."""
    from evals.backends.replay import loose_key

    rows = list(json.loads(path.read_text()).values())
    if name == "math500":
        key = {row["unique_id"]: row for row in rows}
    else:
        answers = Counter(int(row["answer"]) for row in rows)
        key = {loose_key(row["problem"]): row for row in rows} | {
            int(row["answer"]): row for row in rows if answers[int(row["answer"])] == 1}
    problems = BENCHMARKS[name].load({})[:limit]
    paired = {p.id: key.get(p.id) or key.get(loose_key(p.text)) or key[p.reference] for p in problems}
    assert name == "math500" or all(int(row["answer"]) == p.reference for p, row in zip(problems, paired.values()))
    return {pid: [r["content"] for r in row["responses"]["0.7"][:k]] for pid, row in paired.items()}


def _lm_eval_run(task_manager, task: str, limit: int, completions: dict[str, list[str]], name: str):
    prompts = {p.id: p.messages[0]["content"] for p in BENCHMARKS[name].load({})}
    lm = ReplayLM({prompts[pid]: c for pid, c in completions.items()})
    out = lm_eval.simple_evaluate(model=lm, tasks=[task], limit=limit, task_manager=task_manager,
                                  apply_chat_template=True, log_samples=True, bootstrap_iters=0)
    return lm, out


def _our_runner(tmp_path: Path, name: str, limit: int, completions: dict[str, list[str]]) -> dict:
    replay = tmp_path / "completions.jsonl"
    replay.write_text("".join(json.dumps({"problem_id": pid, "sample_index": i, "completion": c}) + "\n"
                              for pid, cs in completions.items() for i, c in enumerate(cs)))
    k = len(next(iter(completions.values())))
    cmd = [sys.executable, "-m", "evals", "run", "--model", "test/replay-model", "--backend", "replay",
           "--replay", str(replay), "--benchmark", name, "--limit", str(limit), "--samples", str(k),
           "--db", str(tmp_path / "db"), "--verify-workers", "2"]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    (result,) = [json.loads(f.read_text()) for f in (tmp_path / "db" / "results").glob("*.json")]
    assert result["samples"] == limit * k
    return result


@pytest.mark.slow
def test_lm_eval_and_our_runner_agree_on_math500(task_manager, tmp_path):
    """60 real MATH-500 completions (TLDR 7B): same chat, same per-sample verdicts, same pass@1."""
    from evals.verifiers import verify

    limit, problems = 60, BENCHMARKS["math500"].load({})[:60]
    completions = _skythought(replay_file("tldr7b_math500_n1.json"), "math500", limit, k=1)
    lm, out = _lm_eval_run(task_manager, "r1_math500", limit, completions, "math500")
    # the chat lm-eval sends with --apply_chat_template is our runner's: one user turn, no system prompt
    assert {json.dumps(c) for c in lm.chats} == {json.dumps(list(p.messages)) for p in problems}
    assert len(lm.chats) == limit * 4  # repeats: k = 4 (all copies get the one stored completion)
    samples = out["samples"]["r1_math500"]
    assert [s["doc"]["id"] for s in samples] == [p.id for p in problems]
    ours = [verify("math", completions[p.id][0], p.reference).score for p in problems]
    assert [s["pass@1"] for s in samples] == ours
    assert 20 < sum(ours) < limit  # real completions, mostly right: the comparison is not vacuous
    lm_eval_pass1 = out["results"]["r1_math500"]["pass@1,none"]
    assert lm_eval_pass1 == sum(ours) / limit
    assert _our_runner(tmp_path, "math500", limit, completions)["pass@1"]["value"] == lm_eval_pass1


@pytest.mark.slow
def test_lm_eval_and_our_runner_agree_on_aime24_k8(task_manager, tmp_path):
    """30 problems x 8 real completions (an SFT of R1-Distill-7B, many cut off): pass@1 over k = 8.

    Also shows how a user changes k: a YAML of their own that includes ours and sets `repeats`."""
    (tmp_path / "tasks").mkdir()
    (tmp_path / "tasks" / "r1_aime24_k8.yaml").write_text(
        f"include: {TASKS_DIR / 'r1_aime24.yaml'}\ntask: r1_aime24_k8\nrepeats: 8\ntag: []\n")  # not in r1_evals
    manager = TaskManager(include_path=[str(TASKS_DIR), str(tmp_path / "tasks")], include_defaults=False)
    completions = _skythought(replay_file("sft7b_aime24_n8.json"), "aime24", 30, k=8)
    lm, out = _lm_eval_run(manager, "r1_aime24_k8", None, completions, "aime24")
    assert len(lm.chats) == 30 * 8 and set(lm.served.values()) == {8}
    per_doc = [s["pass@1"] for s in out["samples"]["r1_aime24_k8"]]
    assert 0 < sum(per_doc) < 30 and any(0 < x < 1 for x in per_doc)  # k distinct samples really averaged
    lm_eval_pass1 = out["results"]["r1_aime24_k8"]["pass@1,none"]
    assert _our_runner(tmp_path, "aime24", 30, completions)["pass@1"]["value"] == lm_eval_pass1


GPQA_COLUMNS = ("Question", "Correct Answer", "Incorrect Answer 1", "Incorrect Answer 2", "Incorrect Answer 3")


def test_gpqa_task_reads_a_local_file_given_as_metadata(tmp_path):
    """GPQA is never stored: the task reads the user's file (synthetic items here) and scores letters."""
    import csv

    path = tmp_path / "gpqa_diamond.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(GPQA_COLUMNS)
        for i in range(4):
            writer.writerow([f"Synthetic question {i}: which value is right?", f"right {i}", "wrong a", "wrong b",
                             "wrong c"])
    manager = TaskManager(include_path=str(TASKS_DIR), include_defaults=False, metadata={"gpqa_diamond": str(path)})
    problems = BENCHMARKS["gpqa_diamond"].load({"gpqa_diamond": str(path)})
    # the first two answered right, the others with a wrong letter
    wrong = {p.id: "ABCD"[("ABCD".index(p.reference) + 1) % 4] for p in problems}
    answers = {p.messages[0]["content"]: [f"Answer: {p.reference if i < 2 else wrong[p.id]}"]
               for i, p in enumerate(problems)}
    lm = ReplayLM(answers)
    out = lm_eval.simple_evaluate(model=lm, tasks=["r1_gpqa_diamond"], task_manager=manager,
                                  apply_chat_template=True, log_samples=True, bootstrap_iters=0)
    assert {json.dumps(c) for c in lm.chats} == {json.dumps(list(p.messages)) for p in problems}
    assert [s["pass@1"] for s in out["samples"]["r1_gpqa_diamond"]] == [1.0, 1.0, 0.0, 0.0]
    assert out["results"]["r1_gpqa_diamond"]["pass@1,none"] == 0.5


def test_gpqa_without_a_file_says_how_to_give_one(monkeypatch):
    from evals.lm_eval_tasks import utils

    monkeypatch.delenv("R1_EVALS_GPQA_DIAMOND", raising=False)
    with pytest.raises(FileNotFoundError, match="--metadata"):
        utils.gpqa_diamond(version=1.0)  # offline here: the gated Hub copy is out of reach
