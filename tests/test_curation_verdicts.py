"""One verdict schema: curation writes its verdicts in the store's shape, reads them back through the
`checks` view, and reuses an evals store's verdict (same verifier version and options) instead of
verifying the sample again; evaluation and curation measure repetition on the same text.
"""
from __future__ import annotations

import json

import pytest

from curation import stages
from curation.db import Workspace
from curation.ingest import IngestOptions
from curation.samples import add_store
from curation.verify import VerifyOptions
from evals.scoring import EVAL_REQUIRE_EVALUATED, answer_policy, policy_key
from evals.store import Store
from evals.verifiers import VERIFIER_VERSION, VerifierPool
from evals.verifiers.signals import text_signals

CURATION = {"require_evaluated": True}  # VerifyOptions' default policy for math
EVALUATION = answer_policy("math", require_evaluated=EVAL_REQUIRE_EVALUATED)
# prompt -> (the store's verdict for its sample: version, options; or None) and whether curation reuses it
CASES = {
    "same": ((VERIFIER_VERSION, CURATION), True),
    "eval-options": ((VERIFIER_VERSION, EVALUATION), False),
    "old-version": (("0.0.1", CURATION), False),
    "no-options": ((VERIFIER_VERSION, None), False),  # a verdict from before options were recorded
    "none": (None, False),
}
SENTENCE = "Let me multiply the two numbers and check the product once more before I answer. "


class CountingPool(VerifierPool):
    items = 0

    def verify_batch(self, items, *args, **kwargs):
        CountingPool.items += len(items)
        return super().verify_batch(items, *args, **kwargs)


@pytest.fixture()
def workspace(tmp_path, monkeypatch):
    monkeypatch.setattr("curation.verify.VerifierPool", CountingPool)
    CountingPool.items = 0
    prompts = tmp_path / "prompts.jsonl"
    prompts.write_text("".join(json.dumps({"id": name, "domain": "math", "problem": f"Compute {i} times 7 ({name}).",
                                           "answer": str(7 * i)}) + "\n" for i, name in enumerate(CASES, 2)))
    ws = Workspace(tmp_path / "ws")
    stages.ingest(ws, IngestOptions(source=str(prompts), name="set"))
    con = ws.connect()
    hashes = dict(con.execute("SELECT prompt_id, prompt_hash FROM prompts").fetchall())
    samples, verdicts = [], []
    for i, name in enumerate(CASES, 2):
        key = {"model": "m", "revision": "main", "prompt_hash": hashes[f"set:{name}"], "sampling_hash": "s",
               "sample_index": 0, "benchmark": "curation", "problem_id": f"set:{name}"}
        samples.append({**key, "completion": f"<think>\n{SENTENCE * 12}\n</think>\n\nSo $\\boxed{{{7 * i}}}$.",
                        "finish_reason": "stop", "think_prefilled": False, "completion_tokens": 200})
        stored, _ = CASES[name]
        if stored:  # a planted verdict no verifier would give: reuse shows as its reason and extracted answer
            version, options = stored
            details = {"options": options} if options is not None else {}
            verdicts.append({**key, "verifier": "math", "verifier_version": version, "correct": False, "score": 0.0,
                             "reason": "wrong_answer", "extracted": "planted", "method": "stored",
                             "details": json.dumps(details)})
    Store(ws.store_dir).write(samples, verdicts)
    add_store(con, ws.store_dir, "generated", "m", "s")
    con.close()
    return ws


def checks(ws):
    con = ws.connect(read_only=True)
    try:
        return {sid.split(":")[1].split("/")[0]: (correct, reason, extracted) for sid, correct, reason, extracted
                in con.execute("SELECT sample_id, correct, reason, extracted FROM checks").fetchall()}
    finally:
        con.close()


def test_a_store_verdict_of_the_same_version_and_options_is_reused_and_no_other(workspace):
    assert policy_key(EVALUATION) != policy_key(CURATION)  # evaluation's verdicts are not curation's by default
    counts = stages.verify(workspace, VerifyOptions(workers=1))
    reused = [name for name, (_, reuse) in CASES.items() if reuse]
    assert counts["answers_from_store"] == len(reused) and counts["verified"] == len(CASES)
    assert CountingPool.items == len(CASES) - len(reused)  # one verifier call per sample not reused
    got = checks(workspace)
    for name, (_, reuse) in CASES.items():
        expected = (False, "wrong_answer", "planted") if reuse else (True, "correct", str(7 * (list(CASES).index(name) + 2)))
        assert got[name] == expected, name
    CountingPool.items = 0
    assert stages.verify(workspace, VerifyOptions(workers=1))["verified"] == 0 and CountingPool.items == 0  # resumed


def test_other_options_verify_again_and_the_checks_follow_the_latest(workspace):
    stages.verify(workspace, VerifyOptions(workers=1))
    CountingPool.items = 0
    counts = stages.verify(workspace, VerifyOptions(workers=1, require_evaluated=False))
    # under evaluation's options the eval-options verdict is the store's; the rest are verified again
    assert counts["verified"] == len(CASES) and counts["answers_from_store"] == 1
    assert CountingPool.items == len(CASES) - 1
    got = checks(workspace)
    assert got["eval-options"] == (False, "wrong_answer", "planted") and got["same"] == (True, "correct", "14")


@pytest.mark.parametrize("text, loops", [
    # the reasoning loops, then the model escapes and answers: a loop in the chain of thought
    ("<think>\nFirst the setup. " + "Wait, let me check the sum again. " * 40 + "\n</think>\n\nThe answer is 5.", True),
    # never closes its thinking and loops to the limit: the reasoning is the whole completion
    ("<think>\nFirst the setup. " + "Wait, let me check the sum again. " * 40, True),
    ("<think>\nFirst the setup. " + "Wait, let me check the sum again. " * 3 + "\n</think>\n\nThe answer is 5.", False),
])
def test_repetition_is_measured_on_the_reasoning_for_evaluation_and_curation(text, loops):
    from curation.checks import text_checks

    verdict = text_signals(text)["repetition"]
    assert (verdict.reason == "repetition_loop") is loops
    curated = {row["verifier"]: row for row in text_checks(text, None, False, False, "stop")["signals"]}
    assert json.loads(curated["repetition"]["details"])["loop"] is loops
