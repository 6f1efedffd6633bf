"""The curation stages on a small hand-made set: real DuckDB, real verifiers, real signals.

Each planted sample exercises one filter reason; each planted prompt one decontamination flag.
"""
from __future__ import annotations

import json
import random
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from curation import stages
from curation.cli import main as cli
from curation.db import Workspace
from curation.decontaminate import DecontaminateOptions
from curation.export import ExportOptions
from curation.filters import FilterOptions
from curation.ingest import IngestOptions
from curation.llm_judge import JudgeOptions
from curation.select import SelectOptions
from curation.verify import VerifyOptions
from evals.errors import DataError

SENTENCES = [
    "First I will write down what the problem gives us and what it asks for.",
    "The two quantities are related by a simple linear equation.",
    "Let me substitute the known values into the expression and simplify it step by step.",
    "Wait, I should double-check the arithmetic before going any further.",
    "Multiplying both sides by the denominator removes the fraction.",
    "That matches the estimate I made at the beginning, which is reassuring.",
    "Another way to see this is to draw a small picture of the situation.",
    "The remaining case is when the number is even, which works the same way.",
    "So the value we are looking for follows directly from the previous line.",
    "I think the reasoning is complete, but one more check cannot hurt.",
    "Counting the possibilities carefully gives the same total as before.",
    "Now I can combine the partial results into the final answer.",
]
CHINESE = ("我们先把已知条件写下来，然后逐步化简这个表达式。这里需要仔细检查每一步的计算是否正确。"
           "如果两个数的和是偶数，那么它们要么都是奇数，要么都是偶数。接下来考虑第二种情况，把结果代回原式验证。"
           "现在把所有部分的结果合并起来，就可以得到最后的答案了。这个答案和一开始的估计是一致的，所以我比较有信心。")


def reasoning(seed: int, sentences: int = 40) -> str:
    rng = random.Random(seed)
    picked = [rng.choice(SENTENCES) + f" The running total is {rng.randint(10, 999)}." for _ in range(sentences)]
    return "\n\n".join(" ".join(picked[i:i + 4]) for i in range(0, len(picked), 4))


def completion(body: str, answer: str) -> str:
    return f"<think>\n{body}\n</think>\n\nThe answer is $\\boxed{{{answer}}}$."


LONG_PROMPT = ("A farmer keeps chickens, goats and rabbits in three separate pens behind the old red barn near the "
               "river, and every morning she counts the animals, feeds them grain, checks the water troughs, repairs "
               "the fences and writes the totals in a notebook. If there are 12 chickens, 7 goats and 9 rabbits, "
               "how many legs are there in total across all three pens on the farm?")


def write_prompts(path: Path) -> None:
    math500 = [json.loads(line) for line in open(Path(__file__).parents[1] / "evals/data/math500.jsonl")][:2]
    records = [{"id": f"p{i}", "domain": "math", "problem": f"Compute {i} times {i + 3}, then add {2 * i} to it. "
                f"Explain each step of the computation for the value {i}.", "answer": str(i * (i + 3) + 2 * i)}
               for i in range(1, 9)]
    records += [
        {"id": "long", "domain": "math", "problem": LONG_PROMPT, "answer": "94"},
        {"id": "long-near", "domain": "math", "problem": "Problem: " + LONG_PROMPT, "answer": "94"},
        {"id": "p1-copy", "domain": "math", "problem": "COMPUTE 1 times 4,   then add 2 to it! Explain each step "
                                                        "of the computation for the value 1", "answer": "6"},
        {"id": "m500", "domain": "math", "problem": math500[0]["problem"], "answer": math500[0]["answer"]},
        {"id": "m500-edit", "domain": "math", "problem": "Here is a question. " + math500[1]["problem"],
         "answer": math500[1]["answer"]},
        {"id": "mc", "domain": "stem", "problem": "Which gas do plants take in for photosynthesis?",
         "choices": ["Oxygen", "Carbon dioxide", "Nitrogen", "Helium"], "answer": "Carbon dioxide"},
        {"id": "chat", "domain": "general", "problem": "Write a two-line poem about autumn leaves."},
        {"id": "code", "domain": "code", "problem": "Read two integers and print their sum.", "verifier": "imported",
         "reference": None},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records))


def write_samples(path: Path) -> dict[str, str]:
    """Samples per prompt; returns {sample_id: the filter reason it was planted for, or 'kept'}."""
    rows, expected = [], {}

    def add(pid: str, index: int, text: str, why: str, **extra: object) -> None:
        rows.append({"prompt_id": f"set:{pid}", "sample_index": index, "model": "m", "completion": text,
                     "finish_reason": extra.pop("finish_reason", "stop"), "completion_tokens": extra.pop("tokens", 900),
                     **extra})
        expected[f"set:{pid}/m/{index}"] = why

    for i in range(1, 9):
        gold = str(i * (i + 3) + 2 * i)
        add(f"p{i}", 0, completion(reasoning(i), gold), "kept")
        add(f"p{i}", 1, completion(reasoning(100 + i), gold), "kept")
    add("p1", 2, completion(reasoning(1) + " Also", "6"), "kept")  # a near-copy of p1/0: selection rejects it
    add("p1", 3, completion(reasoning(301), "6"), "kept")
    add("p1", 4, completion(reasoning(302), "6"), "kept")  # p1 now has 4 distinct kept: one is surplus
    add("p2", 2, completion(reasoning(2), "999"), "incorrect")
    add("p2", 3, "<think>\n" + reasoning(3), "truncated", finish_reason="length")
    add("p3", 2, completion(reasoning(4) + "\n\n" + "I will check the sum again. " * 40, "24"), "repetition_loop")
    add("p3", 3, completion(reasoning(5) + "\n\n" + CHINESE, "24"), "mixed_language")
    add("p4", 2, completion(reasoning(6) + "\n\n" + reasoning(60, 60).replace("\n\n", " "), "36"), "long_paragraph")
    add("p4", 3, completion(reasoning(7) + "\n\n```python\nprint(4 * 7 + 8)\n```", "36"), "code_in_reasoning")
    add("p5", 2, completion(reasoning(8), "50"), "too_long", tokens=40_000)
    add("p5", 3, f"{reasoning(9)}\n\nThe answer is $\\boxed{{50}}$.", "wrong_format")
    for pid, gold in (("long", "94"), ("long-near", "94"), ("p1-copy", "6"), ("m500", "x"), ("m500-edit", "x")):
        add(pid, 0, completion(reasoning(hash(pid) % 1000), gold), "other")
    add("mc", 0, completion(reasoning(11), "B"), "kept")
    add("mc", 1, completion(reasoning(12), "A"), "incorrect")
    add("chat", 0, f"<think>\n{reasoning(13, 8)}\n</think>\n\nLeaves of amber drift and fall,\nautumn whispers "
                   "to us all.", "kept")
    add("code", 0, completion(reasoning(14) + "\n\n```python\nprint(sum(map(int, input().split())))\n```", "0"),
        "kept", imported_correct=True)
    add("code", 1, completion(reasoning(15), "0"), "incorrect", imported_correct=False)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return expected


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("curation")
    write_prompts(root / "prompts.jsonl")
    expected = write_samples(root / "samples.jsonl")
    ws = Workspace(root / "w")
    stages.ingest(ws, IngestOptions(source=str(root / "prompts.jsonl"), name="set"))
    stages.add_samples(ws, [str(root / "samples.jsonl")], "handmade", None)
    stages.verify(ws, VerifyOptions(workers=2))
    stages.filter_samples(ws, FilterOptions())
    stages.select(ws, SelectOptions())
    stages.decontaminate(ws, DecontaminateOptions())
    stages.export(ws, ExportOptions(jsonl=True, targets={"math": 10, "logic": 5}))
    return ws, expected, root


def rows(ws: Workspace, sql: str, params: list | None = None) -> list[tuple]:
    con = ws.connect(read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_ingest_builds_prompts_with_verifiers_and_instructions(built):
    ws, _, _ = built
    got = {pid: (domain, verifier, json.loads(ref) if ref else None, json.loads(msgs)[-1]["content"])
           for pid, domain, verifier, ref, msgs in rows(ws, "SELECT prompt_id, domain, verifier, reference, messages "
                                                           "FROM prompts")}
    assert got["set:p2"][:3] == ("math", "math", "14")
    assert got["set:p2"][3].endswith("put your final answer within \\boxed{}.")
    assert got["set:mc"][:3] == ("stem", "choice", "B")
    assert "B) Carbon dioxide" in got["set:mc"][3]
    assert got["set:chat"][:3] == ("general", "none", None)
    assert got["set:code"][1] == "imported"


def test_ingest_refuses_bad_records_naming_file_record_and_fix(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"problem": "What is 1 + 1?", "answer": "2"}) + "\n"
                   + json.dumps({"question_text": "no problem field"}) + "\n"
                   + json.dumps({"problem": "No answer here"}) + "\n")
    ws = Workspace(tmp_path / "w")
    with pytest.raises(DataError) as info:
        stages.ingest(ws, IngestOptions(source=str(bad), domain="math"))
    message = str(info.value)
    assert "record 2" in message and "--problem-field" in message
    assert "record 3" in message and "--answer-field" in message and str(bad) in message
    assert rows(ws, "SELECT count(*) FROM prompts") == [(0,)]  # nothing half-written
    stages.ingest(ws, IngestOptions(source=str(bad), domain="math", skip_bad=True))
    stages.ingest(ws, IngestOptions(source=str(bad), domain="math", skip_bad=True))  # idempotent
    assert rows(ws, "SELECT count(*) FROM prompts") == [(1,)]


def test_every_planted_sample_gets_its_filter_reason(built):
    ws, expected, _ = built
    got = dict(rows(ws, "SELECT sample_id, coalesce(reason, 'kept') FROM filtered"))
    planted = {sid: why for sid, why in expected.items() if why != "other"}
    assert {sid: got[sid] for sid in planted} == planted


def test_signals_are_measured_only_where_a_sample_could_be_kept(built):
    ws, _, _ = built
    measured = dict(rows(ws, "SELECT sample_id, sketch IS NOT NULL FROM checks"))
    assert measured["set:p2/m/2"] is False and measured["set:p2/m/3"] is False  # wrong, truncated
    assert measured["set:p3/m/2"] is True
    loop = rows(ws, "SELECT loop_unit_tokens, loop_repeats FROM checks WHERE sample_id = 'set:p3/m/2'")[0]
    assert loop[0] > 0 and loop[1] >= 4


def test_verify_resumes_and_only_checks_new_samples(built, tmp_path):
    ws, _, root = built
    assert stages.verify(ws, VerifyOptions(workers=1)) == {"verified": 0, "answers_from_store": 0, "signals_measured": 0}
    extra = tmp_path / "more.jsonl"
    extra.write_text(json.dumps({"prompt_id": "set:p6", "sample_index": 7, "model": "m", "finish_reason": "stop",
                                 "completion": completion(reasoning(77), "66")}) + "\n")
    stages.add_samples(ws, [str(extra)], "more", None)
    assert stages.verify(ws, VerifyOptions(workers=1, limit=5))["verified"] == 1
    assert rows(ws, "SELECT correct, reason FROM checks WHERE sample_id = 'set:p6/m/7'") == [(True, "correct")]


def test_selection_keeps_up_to_k_distinct_samples(built):
    ws, _, _ = built
    got = dict(rows(ws, "SELECT sample_id, reason FROM selection WHERE prompt_id = 'set:p1'"))
    assert not (got["set:p1/m/0"] == got["set:p1/m/2"] == "selected")  # a near-copy never joins its original
    assert sorted(got.values()).count("selected") == 3
    assert set(got.values()) <= {"selected", "near_duplicate_sample", "surplus"}


def test_choose_rejects_near_copies_then_stops_at_k():
    from curation.minhash import sketch
    from curation.ngrams import words
    from curation.select import choose

    texts = [reasoning(1), reasoning(1) + " One more line.", reasoning(2), reasoning(3), reasoning(4)]
    got = choose([sketch(words(t)).tobytes() for t in texts], k=3, max_similarity=0.5)
    assert [reason for _, reason, _ in got] == ["selected", "near_duplicate_sample", "selected", "selected", "surplus"]
    assert got[1][2] > 0.9 and got[2][2] < 0.3


def test_decontamination_flags_benchmark_overlap_and_duplicates(built):
    ws, _, _ = built
    flags = {pid: (flag, detail) for pid, flag, detail in rows(ws, "SELECT prompt_id, flag, detail FROM prompt_flags")}
    assert flags["set:m500"][0] == "contaminated" and flags["set:m500"][1].startswith("math500:")
    assert flags["set:m500-edit"][0] == "contaminated"
    assert flags["set:p1-copy"] == ("exact_duplicate", "set:p1")
    assert flags["set:long-near"] == ("near_duplicate", "set:long")
    assert len(flags) == 4


def test_export_loads_with_datasets_in_both_trl_formats(built):
    datasets = pytest.importorskip("datasets")
    ws, _, _ = built
    out = ws.root / "export"
    messages = datasets.load_dataset("parquet", data_files=str(out / "messages" / "*.parquet"), split="train")
    pairs = datasets.load_dataset("json", data_files=str(out / "prompt_completion" / "*.jsonl"), split="train")
    assert len(messages) == len(pairs) > 0
    row = messages[0]
    assert [m["role"] for m in row["messages"]][-1] == "assistant"
    assert row["messages"][-1]["content"].startswith("<think>\n") and "</think>\n\n" in row["messages"][-1]["content"]
    assert pairs[0]["completion"][0]["role"] == "assistant" and pairs[0]["prompt"][-1]["role"] == "user"
    ids = set(messages["sample_id"])
    assert not any(i.startswith(("set:m500", "set:p1-copy", "set:long-near")) for i in ids)
    assert len([d for d in messages["domain"] if d == "math"]) == 10  # cut to the target


def test_card_reports_funnel_targets_and_contamination(built):
    ws, _, _ = built
    card = json.loads((ws.root / "export" / "card.json").read_text())
    funnel = dict(card["funnel"])
    assert funnel["exported"] == sum(card["exported_by_domain"].values())
    assert funnel["dropped: mixed_language"] == -1 and funnel["dropped: repetition_loop"] == -1
    # each group of lines in a fixed order, most first, then by reason (DuckDB's threads do not decide it)
    for prefix in ("dropped: ", "not selected: ", "prompt removed: "):
        lines = [(n, step) for step, n in card["funnel"] if step.startswith(prefix)]
        assert lines == sorted(lines), lines
    assert card["shortfall"] == {"logic": 5}
    readme = (ws.root / "export" / "README.md").read_text()
    assert "config_name: messages" in readme and "contaminated" in readme and "math500" in readme


def test_refiltering_with_other_thresholds_needs_no_new_verification(built):
    ws, _, _ = built
    stages.filter_samples(ws, FilterOptions(max_mixed_language=1.0, drop_loops=False))
    got = dict(rows(ws, "SELECT sample_id, coalesce(reason, 'kept') FROM filtered"))
    assert got["set:p3/m/2"] == "kept" and got["set:p3/m/3"] == "kept"
    stages.filter_samples(ws, FilterOptions())  # back to the defaults for the other tests


class _Judge(BaseHTTPRequestHandler):
    """An OpenAI-compatible chat endpoint that calls an answer correct when it contains the reference."""

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        prompt = body["messages"][-1]["content"]
        reference = prompt.split("Reference answer:\n")[1].split("\n")[0]
        answer = prompt.split("Answer to grade:\n")[1]
        reply = "CORRECT" if reference in answer else "INCORRECT"
        payload = {"id": "x", "object": "chat.completion", "created": 0, "model": body["model"],
                   "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": reply}}],
                   "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def test_generative_judge_decides_free_form_answers(tmp_path):
    prompts = tmp_path / "p.jsonl"
    prompts.write_text(json.dumps({"id": "q", "problem": "Name the largest planet.", "answer": "Jupiter",
                                   "verifier": "judge"}) + "\n")
    samples = tmp_path / "s.jsonl"
    samples.write_text("".join(json.dumps({"prompt_id": "p:q", "completion": completion(reasoning(i), name)
                                           .replace("$\\boxed{", "").replace("}$", ""), "finish_reason": "stop"})
                               + "\n" for i, name in enumerate(["Jupiter", "Saturn"])))
    ws = Workspace(tmp_path / "w")
    stages.ingest(ws, IngestOptions(source=str(prompts), domain="stem", name="p"))
    stages.add_samples(ws, [str(samples)], "s", "m")
    stages.verify(ws, VerifyOptions(workers=1))
    server = HTTPServer(("127.0.0.1", 0), _Judge)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/v1"
        assert stages.llm_judge(ws, JudgeOptions(base_url=url, judge_model="judge"))["judged"] == 2
        assert stages.llm_judge(ws, JudgeOptions(base_url=url, judge_model="judge"))["judged"] == 0  # resumable
    finally:
        server.shutdown()
    stages.filter_samples(ws, FilterOptions())
    assert dict(rows(ws, "SELECT sample_id, coalesce(reason, 'kept') FROM filtered")) == {
        "p:q/m/0": "kept", "p:q/m/1": "incorrect"}


def test_sample_sources_refuse_unknown_prompts_and_repeated_ids(built, tmp_path):
    ws, _, _ = built
    stray = tmp_path / "stray.jsonl"
    stray.write_text(json.dumps({"prompt_id": "nope", "completion": "x"}) + "\n")
    with pytest.raises(DataError, match="never ingested"):
        stages.add_samples(ws, [str(stray)], "stray", "m")
    again = tmp_path / "again.jsonl"
    again.write_text(json.dumps({"prompt_id": "set:p1", "sample_index": 0, "model": "m", "completion": "x"}) + "\n")
    with pytest.raises(DataError, match="repeats"):
        stages.add_samples(ws, [str(again)], "again", None)
    assert rows(ws, "SELECT count(*) FROM sample_sources WHERE source IN ('stray', 'again')") == [(0,)]


@pytest.mark.parametrize("command", ["ingest", "generate", "verify", "judge", "filter", "select", "decontaminate",
                                     "export", "run", "samples", "status"])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as info:
        cli([command, "--help"])
    assert info.value.code == 0
    assert "--workdir" in capsys.readouterr().out


def test_config_file_sections_are_overridden_by_flags(built, tmp_path):
    ws, _, _ = built
    config = tmp_path / "c.toml"
    config.write_text("[select]\nk = 1\nmax_similarity = 0.9\n")
    cli(["select", "--workdir", str(ws.root), "--config", str(config), "--k", "2"])
    assert rows(ws, "SELECT max(n) FROM (SELECT count(*) n FROM selection WHERE selected GROUP BY prompt_id)") == [(2,)]
    cli(["select", "--workdir", str(ws.root)])


@pytest.mark.parametrize("require_evaluated", [None, False])
def test_verify_refuses_unevaluated_answers_by_default_and_records_it(tmp_path, require_evaluated):
    """`\\boxed{60+6}` for 66 is equal but unevaluated: SFT data must show the result, so curation's
    verify refuses it unless asked not to, and the stage history records the setting."""
    prompts = tmp_path / "p.jsonl"
    prompts.write_text(json.dumps({"id": "q", "problem": "Compute 6 times 11.", "answer": "66"}) + "\n")
    samples = tmp_path / "s.jsonl"
    samples.write_text("".join(json.dumps({"prompt_id": "p:q", "completion": completion(reasoning(i), answer),
                                           "finish_reason": "stop"}) + "\n"
                               for i, answer in enumerate(["66", "60+6", "6\\cdot 11", "67"])))
    ws = Workspace(tmp_path / "w")
    stages.ingest(ws, IngestOptions(source=str(prompts), domain="math", name="p"))
    stages.add_samples(ws, [str(samples)], "s", "m")
    given = {} if require_evaluated is None else {"require_evaluated": require_evaluated}
    stages.verify(ws, VerifyOptions(workers=1, **given))
    got = {sid: (correct, method) for sid, correct, method in
           rows(ws, "SELECT sample_id, correct, method FROM checks ORDER BY sample_id")}
    strict = require_evaluated is None
    assert got["p:q/m/0"][0] is True
    for restated in ("p:q/m/1", "p:q/m/2"):
        assert got[restated] == ((False, "unevaluated") if strict else (True, "exact")), got
    assert got["p:q/m/3"][0] is False
    (config,) = rows(ws, "SELECT config FROM stage_runs WHERE stage = 'verify'")[0]
    assert json.loads(config)["require_evaluated"] is strict
