"""Pinned Hub data: each Hub-loaded benchmark asks for its pinned commit (or the revision the user names
by flag or environment), and the run manifest records the commit the Hub resolved it to. The Hub is
unreachable here, so `datasets` and huggingface_hub are replaced by fakes that answer like them."""
from __future__ import annotations

import json
import re
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from evals import cli as evals_cli
from evals.benchmarks import BENCHMARKS, hub
from evals.errors import UsageError

MAIN_COMMIT = "a" * 40  # what the fake Hub resolves "main" to
GPQA_ROWS = [{"Record ID": f"rec{i}", "Question": f"What is {i} squared?", "Correct Answer": str(i * i),
              "Incorrect Answer 1": str(i * i + 1), "Incorrect Answer 2": str(i * i + 2),
              "Incorrect Answer 3": str(i + 100), "High-level domain": "Math"} for i in range(3)]
CF_ROW = {"id": "7A", "contest_id": 7, "index": "A", "title": "Kalevitch and Chess", "description": "Paint.",
          "input_format": "", "output_format": "", "time_limit": 2.0, "memory_limit": 64.0, "rating": 1100,
          "official_tests": [{"input": "1\n", "output": "1\n"}], "official_tests_complete": True}
LCB_ROW = {"question_id": "abc387_c", "question_title": "t", "question_content": "Print 1.", "platform": "atcoder",
           "contest_date": "2024-09-01T00:00:00", "difficulty": "easy", "starter_code": "",
           "public_test_cases": json.dumps([{"input": "", "output": "1\n", "testtype": "stdin"}]),
           "private_test_cases": json.dumps([]), "metadata": "{}"}


def resolve(revision: str) -> str:
    return MAIN_COMMIT if revision == "main" else revision


@pytest.fixture
def fake_hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str | None, str]]:
    """Fakes `datasets.load_dataset_builder` and `huggingface_hub.snapshot_download`; returns the calls
    (repo, config, revision asked)."""
    calls: list[tuple[str, str | None, str]] = []

    class Builder:
        def __init__(self, repo: str, config: str | None = None, *, revision: str) -> None:
            calls.append((repo, config, revision))
            self.repo, self.hash = repo, resolve(revision)

        def download_and_prepare(self) -> None:
            pass

        def as_dataset(self, split: str) -> list[dict[str, Any]]:
            return {"Idavidrein/gpqa": GPQA_ROWS, "open-r1/codeforces": [CF_ROW]}[self.repo]

    def snapshot_download(repo: str, *, repo_type: str, revision: str, allow_patterns: list[str]) -> str:
        calls.append((repo, None, revision))
        folder = tmp_path / "hub" / "snapshots" / resolve(revision)
        folder.mkdir(parents=True, exist_ok=True)
        for name in allow_patterns:
            (folder / name).write_text(json.dumps(LCB_ROW) + "\n" if name == "test5.jsonl" else "")
        return str(folder)

    datasets = types.ModuleType("datasets")
    datasets.load_dataset_builder = Builder
    monkeypatch.setitem(sys.modules, "datasets", datasets)
    import huggingface_hub

    monkeypatch.setattr(huggingface_hub, "snapshot_download", snapshot_download)
    for name in BENCHMARKS:
        monkeypatch.delenv(hub.env_var(name), raising=False)
    return calls


def test_each_pin_is_a_full_commit_hash() -> None:
    assert set(hub.PINNED) == {"livecodebench/code_generation_lite", "open-r1/codeforces", "Idavidrein/gpqa"}
    for repo, commit in hub.PINNED.items():
        assert re.fullmatch(r"[0-9a-f]{40}", commit), repo


BENCH_REPOS = [("livecodebench", "livecodebench/code_generation_lite"), ("codeforces", "open-r1/codeforces"),
               ("gpqa_diamond", "Idavidrein/gpqa")]


@pytest.mark.parametrize(("name", "repo"), BENCH_REPOS)
@pytest.mark.parametrize(("flag", "env", "asked", "chosen_by"), [
    (None, None, "PINNED", "pinned"),
    (None, "main", "main", "R1_EVALS_REVISION_"),
    ("v6-tag", "main", "v6-tag", "--data-revision"),  # the flag beats the environment
    ("b" * 40, None, "b" * 40, "--data-revision"),
])
def test_the_revision_reaches_the_loader_and_is_recorded(fake_hub, monkeypatch, name, repo, flag, env, asked,
                                                         chosen_by) -> None:
    asked = hub.PINNED[repo] if asked == "PINNED" else asked
    if env:
        monkeypatch.setenv(hub.env_var(name), env)
    problems, source = hub.load_with_source(BENCHMARKS[name], {}, {name: flag} if flag else {})
    assert len(problems) >= 1
    assert [call[::2] for call in fake_hub] == [(repo, asked)]
    assert source["kind"] == "hub" and source["repo"] == repo
    assert source["revision_asked"] == asked and source["revision_resolved"] == resolve(asked)
    assert source["chosen_by"].startswith(chosen_by)


def test_a_local_file_is_recorded_by_path_and_shipped_data_by_name(fake_hub, tmp_path) -> None:
    path = tmp_path / "gpqa.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in GPQA_ROWS))
    _, source = hub.load_with_source(BENCHMARKS["gpqa_diamond"], {"gpqa_diamond": str(path)})
    assert source == {"kind": "file", "path": str(path.resolve())} and fake_hub == []
    _, source = hub.load_with_source(BENCHMARKS["aime24"], {})
    assert source == {"kind": "shipped", "file": BENCHMARKS["aime24"].data_file}


def test_sources_name_the_pin_and_the_override() -> None:
    for name, repo in BENCH_REPOS:
        assert hub.PINNED[repo][:12] in BENCHMARKS[name].source
        assert f"--data-revision {name}=REV" in BENCHMARKS[name].source and hub.env_var(name) in BENCHMARKS[name].source


def test_help_shows_the_flag(capsys) -> None:
    with pytest.raises(SystemExit):
        evals_cli.main(["run", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--data-revision BENCHMARK=REVISION" in out and "R1_EVALS_REVISION_<BENCHMARK>" in out


def _run(tmp_path: Path, db: str, *extra: str) -> dict[str, Any]:
    replay = tmp_path / "answers.jsonl"
    replay.write_text("".join(json.dumps({"problem_id": r["Record ID"], "completion": "</think>\\boxed{A}"}) + "\n"
                              for r in GPQA_ROWS))
    code = evals_cli.main(["run", "--model", "test/gpqa", "--replay", str(replay), "--benchmark", "gpqa_diamond",
                           "--samples", "1", "--db", str(tmp_path / db), *extra])
    assert code == 0
    (manifest,) = [json.loads(p.read_text()) for p in (tmp_path / db / "runs").glob("*.json")]
    return manifest


@pytest.mark.slow
def test_the_run_manifest_records_the_resolved_commit_and_show_rereads_it(fake_hub, tmp_path) -> None:
    pinned = _run(tmp_path, "pinned")
    assert pinned["data_source"] == {"kind": "hub", "repo": "Idavidrein/gpqa", "config": "gpqa_diamond",
                                     "split": "train", "revision_asked": hub.PINNED["Idavidrein/gpqa"],
                                     "chosen_by": "pinned", "revision_resolved": hub.PINNED["Idavidrein/gpqa"]}
    assert pinned["invocations"][-1]["data_source"] == pinned["data_source"]
    moved = _run(tmp_path, "main", "--data-revision", "gpqa_diamond=main")
    assert moved["data_source"]["revision_asked"] == "main" and moved["data_source"]["revision_resolved"] == MAIN_COMMIT
    assert moved["config"]["data_revision"] == {"gpqa_diamond": "main"}
    fake_hub.clear()
    assert evals_cli.main(["show", "--db", str(tmp_path / "main")]) == 0
    assert fake_hub == [("Idavidrein/gpqa", "gpqa_diamond", MAIN_COMMIT)]  # the commit, not today's main


@pytest.mark.parametrize(("extra", "message"), [
    (["--data-revision", "codeforces=main"], "codeforces is not among this run's benchmarks"),
    (["--data-revision", "gpqa_diamond=main", "--data", "gpqa_diamond=g.csv"], "has no effect"),
])
def test_a_revision_that_cannot_apply_is_refused(fake_hub, tmp_path, extra, message) -> None:
    from evals.config import RunConfig
    from evals.runner import _check_data_revisions

    config = RunConfig(model="test/gpqa", data_revision=dict([extra[1].split("=")]),
                       data=dict([extra[3].split("=")]) if len(extra) > 2 else {})
    with pytest.raises(UsageError, match=message):
        _check_data_revisions(config, ["gpqa_diamond"])
