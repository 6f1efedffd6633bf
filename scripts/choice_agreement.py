"""Agreement of the multiple-choice reader with tests/cases/choice_cases.jsonl.

Each row is an answer region and its true letter (null: no decision, or an
ambiguous one). A row agrees when extract_choice reads exactly that letter.
Run from a checkout: PYTHONPATH=$PWD python scripts/choice_agreement.py [-v]
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from evals.verifiers.choice import extract_choice

CASES = Path(__file__).resolve().parents[1] / "tests" / "cases" / "choice_cases.jsonl"


def main(path: Path = CASES, verbose: bool = False) -> float:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    agree, per_class = 0, Counter()
    for row in rows:
        got = extract_choice(row["region"], row["n_options"])
        letter = got.letter if got else None
        ok = letter == row["letter"]
        agree += ok
        per_class[row["class"], ok] += 1
        if verbose and not ok:
            print(f"  {row['id']}: read {letter!r}, true {row['letter']!r}")
    for cls in dict.fromkeys(r["class"] for r in rows):
        print(f"{cls:14s} {per_class[cls, True]}/{per_class[cls, True] + per_class[cls, False]}")
    rate = agree / len(rows)
    print(f"agreement {agree}/{len(rows)} = {rate:.1%}")
    return rate


if __name__ == "__main__":
    main(CASES if len(sys.argv) < 2 or sys.argv[1] == "-v" else Path(sys.argv[1]),
         verbose="-v" in sys.argv)
