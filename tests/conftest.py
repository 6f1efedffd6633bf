import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _shared_data() -> Path:
    """The team's shared data (real model outputs for replay): $R1_EVALS_SHARED_DATA, ../shared/data, /work/shared/data."""
    candidates = [os.environ.get("R1_EVALS_SHARED_DATA"), ROOT.parent / "shared" / "data", "/work/shared/data"]
    found = next((Path(c) for c in candidates if c and (Path(c) / "replay").is_dir()), None)
    return found or ROOT.parent / "shared" / "data"


SHARED_DATA = _shared_data()
REPLAY = SHARED_DATA / "replay"


def replay_file(name: str) -> Path:
    """A file of real completions; tests that need one skip, naming it, on a machine without the shared data."""
    path = REPLAY / name
    if not path.exists():
        pytest.skip(f"{path} (shared replay data) is not on this machine; set R1_EVALS_SHARED_DATA")
    return path


@pytest.fixture(scope="session")
def math500():
    from evals.data import data_path

    return [json.loads(line) for line in data_path("math500.jsonl").open()]


@pytest.fixture(scope="session")
def pool():
    from evals.verifiers import VerifierPool

    with VerifierPool(workers=2, timeout=3.0) as p:
        yield p


# ---- the app's fixtures (tests/test_app.py, tests/test_app_browser.py) ----------------------------------------

def _evals_run(db: Path, *args: str) -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "evals", "run", "--db", str(db), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.fixture(scope="session")
def app_store(tmp_path_factory) -> Path:
    """An evals store for the app: fake-engine runs (test/fake) on MATH-500 and AIME 2024, and real
    replayed completions (test/sft7b on AIME 2024 with k=8, test/tldr7b on MATH-500) when the shared
    data is on this machine."""
    db = tmp_path_factory.mktemp("app") / "store"
    fake = ("--model", "test/fake", "--backend", "tests.fake_backends:Deterministic")
    _evals_run(db, *fake, "--benchmark", "math500", "--limit", "12", "--samples", "4")
    _evals_run(db, *fake, "--benchmark", "aime24", "--limit", "10", "--samples", "8")
    if (REPLAY / "sft7b_aime24_n8.json").exists():
        _evals_run(db, "--model", "test/sft7b", "--backend", "replay", "--replay", str(REPLAY / "sft7b_aime24_n8.json"),
                   "--benchmark", "aime24", "--limit", "10", "--samples", "8")
        _evals_run(db, "--model", "test/tldr7b", "--backend", "replay",
                   "--replay", str(REPLAY / "tldr7b_math500_n1.json"), "--benchmark", "math500", "--limit", "12",
                   "--samples", "1")
    return db


# (label, file, benchmark, samples per problem): every real R1-family file of the shared data
REPLAY_RUNS = [("deepseek/r1", "deepseek_r1_aime24_n1.csv", "aime24", 1),
               ("tldr/sft-7b", "sft7b_aime24_n8.json", "aime24", 8),
               ("tldr/tldr-7b", "tldr7b_math500_n1.json", "math500", 1),
               ("tldr/tldr-14b", "tldr14b_math500_n1.json", "math500", 1)]


@pytest.fixture(scope="session")
def replay_store(tmp_path_factory) -> Path:
    """An evals store of the real R1-family outputs only (all of ../shared/data/replay, replayed): what the
    app's screenshots show. Skips on a machine without the shared data."""
    for _, name, _, _ in REPLAY_RUNS:
        replay_file(name)
    db = tmp_path_factory.mktemp("replay_app") / "store"
    for label, name, benchmark, k in REPLAY_RUNS:
        _evals_run(db, "--model", label, "--backend", "replay", "--replay", str(REPLAY / name), "--benchmark",
                   benchmark, "--samples", str(k))
    return db


@pytest.fixture(scope="session")
def app_curation(tmp_path_factory) -> Path:
    """A curation workdir taken through ingest, verify and filter (the hand-made set of test_curation)."""
    from curation import stages
    from curation.db import Workspace
    from curation.filters import FilterOptions
    from curation.ingest import IngestOptions
    from curation.verify import VerifyOptions

    from .test_curation import write_prompts, write_samples

    root = tmp_path_factory.mktemp("app_curation")
    write_prompts(root / "prompts.jsonl")
    write_samples(root / "samples.jsonl")
    ws = Workspace(root / "w")
    stages.ingest(ws, IngestOptions(source=str(root / "prompts.jsonl"), name="set"))
    stages.add_samples(ws, [str(root / "samples.jsonl")], "handmade", None)
    stages.verify(ws, VerifyOptions(workers=1))
    stages.filter_samples(ws, FilterOptions())
    return root / "w"
