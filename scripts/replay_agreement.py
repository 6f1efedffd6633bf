"""Agreement with another grader on real R1-family completions.

    python scripts/replay_agreement.py [--replay-dir ../shared/data/replay] [--show 20]

Scores every completion in the replay files (SkyThought JSON, and the DeepSeek-R1
AIME CSV) with our verifiers through the bounded pool, and compares with the
verdicts recorded by the files' own grader (SkyThought's math_equal; for the CSV,
the file's extracted answer compared as an integer). Prints agreement per file,
the verdict reasons (a `timeout` is a correct answer the clock may have cost; the
target is none), and the disagreements with both extractions, for a person to
adjudicate. --require-evaluated scores as the training reward and curation do.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evals.verifiers import VerifierPool  # noqa: E402
from evals.verifiers.registry import answer_options  # noqa: E402

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "replay"


def skythought_rows(path: Path, kind: str):
    for problem in json.loads(path.read_text()).values():
        for samples in problem["responses"].values():
            for i, s in enumerate(samples):
                yield {"id": f"{problem.get('unique_id') or problem.get('id')}#{i}", "kind": kind,
                       "completion": s["content"], "answer": str(problem["answer"]), "theirs": bool(s["correctness"])}


def r1_csv_rows(path: Path):
    csv.field_size_limit(10**8)
    with path.open(newline="") as f:
        for row in csv.DictReader(f):
            theirs = row["extracted_answer"].strip()
            yield {"id": row["id"], "kind": "aime", "completion": row["model_completion"], "answer": row["answer"],
                   "theirs": theirs.isdigit() and int(theirs) == int(row["answer"])}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--replay-dir", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--show", type=int, default=20, help="disagreements to print per file")
    ap.add_argument("--require-evaluated", action="store_true",
                    help="refuse equal but unevaluated answers (4+5 for 9), as the GRPO reward and curation do")
    args = ap.parse_args()
    files = {
        "tldr7b_math500_n1.json": lambda p: skythought_rows(p, "math"),
        "tldr14b_math500_n1.json": lambda p: skythought_rows(p, "math"),
        "sft7b_aime24_n8.json": lambda p: skythought_rows(p, "aime"),
        "deepseek_r1_aime24_n1.csv": r1_csv_rows,
    }
    reasons: Counter[str] = Counter()
    with VerifierPool() as pool:
        for name, reader in files.items():
            rows = list(reader(args.replay_dir / name))
            verdicts = pool.verify_batch([(r["kind"], r["completion"], r["answer"],
                                           answer_options(r["kind"], require_evaluated=args.require_evaluated))
                                          for r in rows])
            reasons.update(v.reason for v in verdicts)
            ours = sum(v.correct for v in verdicts)
            theirs = sum(r["theirs"] for r in rows)
            differ = [(r, v) for r, v in zip(rows, verdicts) if v.correct != r["theirs"]]
            print(f"\n{name}: {len(rows)} samples, ours correct {ours}, theirs correct {theirs}, "
                  f"agree {len(rows) - len(differ)}/{len(rows)}")
            for r, v in differ[: args.show]:
                print(f"  {r['id']:<40} gold={r['answer']!r:<24} ours={v.correct!s:<5} {v.reason:<13} "
                      f"extracted={(v.extracted or '')[:40]!r} theirs={r['theirs']}")
    total = sum(reasons.values())
    print(f"\nall files: {total} samples, reasons {dict(reasons.most_common())}, "
          f"timeout rate {reasons['timeout'] / max(total, 1):.2%}")


if __name__ == "__main__":
    main()
