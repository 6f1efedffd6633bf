"""A replay records what really happened: the file's sampling protocol (never the R1 defaults), what its
token counts count, outputs cut at the file's token budget scored truncated, and any name as the model's label.
Built from the real TLDR completions (tests.conftest.replay_file)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.backends.replay_protocol import record_protocol, token_count_kind
from evals.store import Store

from .conftest import replay_file
from .test_runner import evals, results

BUDGET = 8192


def _manifest(db: Path) -> dict:
    (manifest,) = [json.loads(p.read_text()) for p in (db / "runs").glob("*.json")]
    return manifest


def _reasons(db: Path) -> dict[str, str]:
    rows = Store(db).query("SELECT s.problem_id, v.reason, s.finish_reason, s.completion_tokens FROM samples s "
                           "JOIN verdicts v USING (model, revision, prompt_hash, sampling_hash, sample_index) "
                           "WHERE v.verifier = 'math'")
    return {r["problem_id"]: r["reason"] for r in rows}


@pytest.fixture(scope="module")
def tldr_subset() -> list[dict]:
    """Eight real TLDR-7B records: the four longest completions that never write a boxed answer (cut
    mid-sentence at the 8,192-token budget) and the four shortest, which finished. Their token counts (the file's are word counts) come
    from a real tokenizer (SmolLM2's; the model's own is not on this machine), capped at the budget as vLLM
    reports a cut output."""
    from transformers import AutoTokenizer

    from evals.embedded import model_dir, prepare

    prepare()
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir()))
    records = list(json.loads(replay_file("tldr7b_math500_n1.json").read_text()).values())
    by_length = sorted(records, key=lambda r: len(r["responses"]["0.7"][0]["content"]))
    cut = [r for r in by_length if "\\boxed" not in r["responses"]["0.7"][0]["content"]][-4:]
    chosen = cut + by_length[:4]
    for r in chosen:
        text = r["responses"]["0.7"][0]["content"]
        r["token_usages"] = {"0.7": [{"completion_tokens": min(BUDGET, len(tokenizer(text)["input_ids"])),
                                      "prompt_tokens": 40}]}
    assert [r["token_usages"]["0.7"][0]["completion_tokens"] for r in cut] == [BUDGET] * 4
    return chosen


def _skythought(directory: Path, records: list[dict], summary: dict | None) -> Path:
    """SkyThought's newer layout: results.json (keyed by problem) and summary.json with the sampling parameters."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "results.json").write_text(json.dumps({r["problem"]: r for r in records}))
    if summary is not None:
        (directory / "summary.json").write_text(json.dumps(summary))
    return directory / "results.json"


SUMMARY = {"model": "zzli2022/TLDR-7B", "task": "math500",
           "configuration": {"sampling_params": {"temperature": 0.7, "max_tokens": BUDGET, "n": 1}}}


def _run(db: Path, file: Path, *flags: str):
    return evals("run", "--model", "any label at all", "--replay", str(file), "--benchmark", "math500", "-k", "1",
                 "--db", str(db), *flags)


@pytest.mark.slow
def test_replay_sampled_at_t07_and_8192_tokens_records_that_and_scores_cut_outputs_truncated(tmp_path, tldr_subset):
    file = _skythought(tmp_path / "sky", tldr_subset, SUMMARY)
    db = tmp_path / "db"
    done = _run(db, file)
    assert done.returncode == 0, done.stderr
    manifest = _manifest(db)
    assert manifest["sampling"] == {"temperature": 0.7, "top_p": None, "max_tokens": BUDGET, "seed": 0}
    assert manifest["sampling_source"]["max_tokens"].endswith("summary.json")
    assert manifest["model"]["name"] == "any label at all"
    reasons = _reasons(db)
    cut = {r["unique_id"] for r in tldr_subset[:4]}
    assert {reasons[p] for p in cut} == {"truncated"}  # were no_answer before the budget was read
    assert all(reasons[r["unique_id"]] in ("correct", "wrong_answer") for r in tldr_subset[4:])  # finished: untouched
    (result,) = results(db).values()
    assert result["truncation_rate"] == 0.5 and result["no_answer_rate"] == 0.0
    assert "trunc %" in done.stdout and "no answer %" in done.stdout


@pytest.mark.slow
@pytest.mark.parametrize("flags, summary, budget, source, cut_reason", [
    ((), None, None, None, "no_answer"),  # the file states no budget: unknown, and nothing is inferred
    (("--max-tokens", "8192"), None, BUDGET, "--max-tokens", "truncated"),  # the user states what the file does not
    (("--max-tokens", "8192"), SUMMARY, BUDGET, "summary.json", "truncated"),  # agreeing with the file
])
def test_budget_from_the_file_or_the_user_never_the_default(tmp_path, tldr_subset, flags, summary, budget, source,
                                                            cut_reason):
    file = _skythought(tmp_path / "sky", tldr_subset, summary)
    db = tmp_path / "db"
    done = _run(db, file, *flags)
    assert done.returncode == 0, done.stderr
    sampling = _manifest(db)["sampling"]
    assert sampling["max_tokens"] == budget and sampling["temperature"] == 0.7  # 0.7: responses are keyed by it
    assert (_manifest(db)["sampling_source"]["max_tokens"] or "").endswith(source or "")
    assert {_reasons(db)[r["unique_id"]] for r in tldr_subset[:4]} == {cut_reason}


def test_a_flag_that_contradicts_the_file_is_refused_naming_the_file(tmp_path, tldr_subset):
    file = _skythought(tmp_path / "sky", tldr_subset, SUMMARY)
    done = _run(tmp_path / "db", file, "--temperature", "0.6")
    assert done.returncode == 1  # a usage error, before anything is generated or stored
    assert "--temperature 0.6" in done.stderr and "says 0.7" in done.stderr and str(file.parent) in done.stderr
    assert not (tmp_path / "db" / "samples").exists() or not list((tmp_path / "db" / "samples").glob("*"))


@pytest.mark.slow
def test_real_tldr_file_records_its_temperature_and_drops_word_counts(tmp_path):
    db = tmp_path / "db"
    done = evals("run", "--model", "my-model", "--replay", str(replay_file("tldr7b_math500_n1.json")),
                 "--benchmark", "math500", "--limit", "40", "-k", "1", "--db", str(db))
    assert done.returncode == 0, done.stderr
    manifest = _manifest(db)
    assert manifest["sampling"] == {"temperature": 0.7, "top_p": None, "max_tokens": None, "seed": 0}  # not R1's
    assert manifest["backend_info"]["token_counts"] == {str(replay_file("tldr7b_math500_n1.json")): "words"}
    tokens = Store(db).query("SELECT count(completion_tokens) AS n FROM samples")[0]["n"]
    assert tokens == 0  # word counts are not stored as tokens
    assert "count words, not tokens" in done.stderr


@pytest.mark.parametrize("row, expected", [
    ({"responses": {"0.7": [{"content": "x"}]}}, {"temperature": "0.7"}),  # SkyThought legacy
    ({"doc": {}, "resps": [["x"]], "arguments": {"gen_args_0": {"arg_0": "p", "arg_1": {
        "temperature": 0.6, "top_p": 0.95, "max_gen_toks": 32768, "until": []}}}},
     {"temperature": 0.6, "top_p": 0.95, "max_tokens": 32768}),  # lm-eval 0.4 samples
    ({"arguments": [["p", {"temperature": 0.0, "max_gen_toks": 256}]]}, {"temperature": 0.0, "max_tokens": 256}),
    ({"completion": "x", "temperature": 1.0, "max_new_tokens": 1024}, {"temperature": 1.0, "max_tokens": 1024}),
    ({"completion": "x", "sampling": {"top_p": 0.9}}, {"top_p": 0.9}),
    ({"completion": "x"}, {}),  # says nothing: nothing recorded
    ({"responses": {"0.6": [], "1.0": []}}, {}),  # two temperatures: not one protocol
])
def test_what_a_record_says_about_its_sampling(row, expected):
    assert record_protocol(row) == expected


@pytest.mark.parametrize("pairs, kind", [
    ([("a b c", 3), ("d e", 2), ("f", 1)], "words"),
    ([("abc", 3), ("de", 2), ("fghij", 5)], "characters"),
    ([("a b c", 3), ("d e", 7), ("f", 1)], "tokens"),  # one record breaks the pattern: real counts
    ([("a b", 2)], "tokens"),  # too few records to call them words
    ([], "absent"),
])
def test_token_counts_that_are_words_or_characters_are_recognised(pairs, kind):
    assert token_count_kind(pairs) == kind
