"""End to end with the real model: SmolLM2 generates for a few dozen math prompts, then verify,
filter, select, decontaminate against the real MATH-500 and AIME files, export; the export loads
with `datasets` and TRL's SFTTrainer trains on it.

SmolLM2-135M does not write <think>…</think>, so the format filter is off here (a reasoning model
would keep it on); everything else runs with the defaults.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from curation import stages
from curation.db import Workspace
from curation.decontaminate import DecontaminateOptions
from curation.export import ExportOptions
from curation.filters import FilterOptions
from curation.generate import GenerateOptions
from curation.ingest import IngestOptions
from curation.select import SelectOptions
from curation.verify import VerifyOptions

ROOT = Path(__file__).resolve().parents[1]
# generating 72 samples on 2 busy cores can take several minutes: the fixture needs more than the default limit
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]


def prompt_set(path: Path) -> dict[str, str]:
    """32 easy sums, two MATH-500 problems, one AIME 2024 problem and a duplicate; returns planted flags."""
    records = [{"id": f"sum-{a}-{b}", "problem": f"What is {a} + {b}?", "answer": str(a + b)}
               for a in range(1, 9) for b in (2, 3, 5, 7)]
    math500 = [json.loads(line) for line in open(ROOT / "evals/data/math500.jsonl")][:2]
    aime = json.loads(open(ROOT / "evals/data/aime24.jsonl").readline())
    records += [{"id": f"math500-{i}", "problem": r["problem"], "answer": r["answer"]} for i, r in enumerate(math500)]
    records += [{"id": "aime", "problem": aime["prompt"] if "prompt" in aime else aime["problem"],
                 "answer": str(aime.get("answer"))},
                {"id": "sum-again", "problem": "what is 1 + 2", "answer": "3"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return {"arith:math500-0": "contaminated", "arith:math500-1": "contaminated", "arith:aime": "contaminated",
            "arith:sum-again": "exact_duplicate"}


@pytest.fixture(scope="module")
def curated(tmp_path_factory):
    from evals import embedded

    embedded.prepare()
    root = tmp_path_factory.mktemp("e2e")
    planted = prompt_set(root / "prompts.jsonl")
    ws = Workspace(root / "w")
    stages.ingest(ws, IngestOptions(source=str(root / "prompts.jsonl"), domain="math", name="arith"))
    stages.generate(ws, GenerateOptions(model="smollm2-135m-instruct", samples=2, max_tokens=96, temperature=0.7,
                                        batch_size=36))
    stages.verify(ws, VerifyOptions(workers=2))
    stages.filter_samples(ws, FilterOptions(require_format=False))
    stages.select(ws, SelectOptions())
    stages.decontaminate(ws, DecontaminateOptions())
    stages.export(ws, ExportOptions(jsonl=True))
    return ws, planted


def test_generation_is_stored_and_resumes(curated):
    ws, _ = curated
    con = ws.connect(read_only=True)
    try:
        assert con.execute("SELECT count(*), count(DISTINCT prompt_id) FROM samples").fetchall() == [(72, 36)]
        assert con.execute("SELECT count(*) FROM checks").fetchall() == [(72,)]
    finally:
        con.close()
    again = stages.generate(ws, GenerateOptions(model="smollm2-135m-instruct", samples=2, max_tokens=96,
                                                temperature=0.7))
    assert again["samples_stored"] == 72  # nothing generated twice


def test_decontamination_against_the_real_benchmark_files(curated):
    ws, planted = curated
    con = ws.connect(read_only=True)
    try:
        flags = dict(con.execute("SELECT prompt_id, flag FROM prompt_flags").fetchall())
    finally:
        con.close()
    assert flags == planted


def test_export_loads_with_datasets_and_trains_with_sft_trainer(curated, tmp_path):
    datasets = pytest.importorskip("datasets")
    trl = pytest.importorskip("trl")
    from evals import embedded

    ws, _ = curated
    card = json.loads((ws.root / "export" / "card.json").read_text())
    exported = sum(card["exported_by_domain"].values())
    assert exported > 0, card["funnel"]
    data = datasets.load_dataset("parquet", data_files=str(ws.root / "export/messages/*.parquet"), split="train")
    assert len(data) == exported
    assert all(m[-1]["content"].startswith("<think>") for m in data["messages"])
    assert not any(pid.startswith(("arith:math500", "arith:aime")) for pid in data["prompt_id"])
    pairs = datasets.load_dataset("json", data_files=str(ws.root / "export/prompt_completion/*.jsonl"), split="train")
    for dataset in (data, pairs):
        config = trl.SFTConfig(output_dir=str(tmp_path / "sft"), max_steps=2, per_device_train_batch_size=2,
                               max_length=256, report_to=[], save_strategy="no", logging_steps=1, use_cpu=True)
        trainer = trl.SFTTrainer(model=str(embedded.model_dir()), args=config, train_dataset=dataset)
        result = trainer.train()
        assert result.global_step == 2 and result.training_loss > 0
