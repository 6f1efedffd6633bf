import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def math500():
    from evals.data import data_path

    return [json.loads(line) for line in data_path("math500.jsonl").open()]


@pytest.fixture(scope="session")
def pool():
    from evals.verifiers import VerifierPool

    with VerifierPool(workers=2, timeout=3.0) as p:
        yield p
