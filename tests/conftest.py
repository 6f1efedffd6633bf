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
