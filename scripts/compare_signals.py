"""Identical-results check for speed-ups of the text signals and curation's checks: runs an old
implementation (a git ref, default `main`) and the working tree on the same traces and compares
every output exactly.

    python scripts/compare_signals.py                          # replay traces + 2,000 synthetic ones vs main
    python scripts/compare_signals.py --ref HEAD~3 --synthetic 500 --corpus /tmp/curation-corpus-20000
    python scripts/compare_signals.py --workspaces /tmp/bench-old /tmp/bench-new   # two curation workdirs

Traces: every completion in ../shared/data/replay (as written, and a mixed variant with a Chinese
sentence every third paragraph, which takes the non-ASCII paths), and the first --synthetic samples
of a synthetic curation corpus (`python -m tests.fixtures.synthetic_corpus`). Compared per trace:
curation's `text_checks` (the four verdicts as stored rows, details JSON included, the reasoning's word
count and MinHash sketch), `text_signals` with the question as prompt (target language from the
question), `count_tokens` (every run's script, words, read words, units and sentence; the tally set
aside; the scripts per sentence), `repetition`, `word_count` and `plain_word_ratio`.
The old implementation runs from `git archive REF evals curation` in a subprocess of its own.

--workspaces compares two curation workdirs table by table (verdicts, measures, filtered, selection,
prompt flags, final), timestamps aside: the funnel and the selected ids of a bench_curation run.
Exits 1 on any difference, naming the trace and the first field that differs.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import pickle
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# the shared data as tests/conftest.py finds it: $R1_EVALS_SHARED_DATA, ../shared/data, /work/shared/data
REPLAY = next((Path(p) / "replay" for p in (os.environ.get("R1_EVALS_SHARED_DATA"), ROOT.parent / "shared" / "data",
                                            "/work/shared/data") if p and (Path(p) / "replay").is_dir()), Path("replay"))
CHINESE = "我们先验证一下这个结果，把每一项代回原式，看看两边是否相等。"


def replay_traces() -> list[dict]:
    out = []
    for path in sorted(REPLAY.glob("*.json")):
        for problem, item in json.loads(path.read_text(encoding="utf-8")).items():
            for temp, responses in item["responses"].items():
                for i, r in enumerate(responses):
                    if r.get("content"):
                        out.append({"id": f"{path.stem}/{item.get('unique_id') or item.get('id') or problem[:40]}/{temp}/{i}",
                                    "completion": r["content"], "prompt": problem})
    for path in sorted(REPLAY.glob("*.csv")):
        with path.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                out.append({"id": f"{path.stem}/{row['id']}", "completion": row["model_completion"],
                            "prompt": row["question"]})
    mixed = [{**t, "id": t["id"] + "/mixed",
              "completion": "\n\n".join(p + ("\n\n" + CHINESE if i % 3 == 0 else "")
                                        for i, p in enumerate(t["completion"].split("\n\n")))} for t in out]
    return out + mixed


def synthetic_traces(corpus: Path, limit: int) -> list[dict]:
    import pyarrow.parquet as pq

    out: list[dict] = []
    for part in sorted((corpus / "samples").glob("*.parquet")):
        for row in pq.read_table(part).slice(0, limit - len(out)).to_pylist():
            out.append({"id": f"synthetic/{row['prompt_id']}/{row['sample_index']}", "completion": row["completion"],
                        "finish_reason": row["finish_reason"], "prompt": None})
        if len(out) >= limit:
            break
    return out


def measure(traces: list[dict]) -> dict[str, dict]:
    """Every compared output of the implementation importable here (run with PYTHONPATH set)."""
    from curation.checks import text_checks
    from curation.minhash import sketch
    from curation.ngrams import words
    from evals.scoring import verdict_fields
    from evals.verifiers.language import plain_word_ratio, reasoning_of
    from evals.verifiers.repetition import repetition
    from evals.verifiers.signals import text_signals
    from evals.verifiers.text_tokens import count_tokens, word_count

    out = {}
    for t in traces:
        text, finish = t["completion"], t.get("finish_reason")
        reasoning = reasoning_of(text)
        counts = count_tokens(reasoning)
        out[t["id"]] = {
            "checks": text_checks(text, "en", False, True, finish),
            "signals_prompt": {k: verdict_fields(k, v) for k, v in
                               text_signals(text, prompt=t["prompt"], finish_reason=finish).items()},
            "runs": [(r.script, r.words, r.read, r.units, r.sentence) for r in counts.runs],
            "counted": counts.counted, "ignored": dict(counts.ignored),
            "sentence_scripts": {k: sorted(v) for k, v in counts.sentence_scripts.items()},
            "repetition": repetition(reasoning).to_dict(),
            "word_count": word_count(reasoning),
            "plain": [plain_word_ratio(reasoning, lang) for lang in ("en", "zh", "ja")],
            "sketch_completion": sketch(words(text)).tobytes(),
        }
    return out


def old_tree(ref: str, into: Path) -> Path:
    archive = subprocess.run(["git", "archive", ref, "evals", "curation"], cwd=ROOT, check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def run_side(pythonpath: Path, traces_file: Path, out_file: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    code = ("import pickle,sys; sys.path.insert(0, %r); from compare_signals import measure; "
            "t = pickle.load(open(%r, 'rb')); pickle.dump(measure(t), open(%r, 'wb'))"
            % (str(Path(__file__).parent), str(traces_file), str(out_file)))
    return subprocess.Popen([sys.executable, "-c", code], env=env, cwd=pythonpath)


def first_difference(a, b, path: str = "") -> str | None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b), key=str):
            if key not in a or key not in b:
                return f"{path}.{key}: only in {'new' if key in b else 'old'}"
            found = first_difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list | tuple) and isinstance(b, list | tuple) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    # exact: floats must be bit-identical (a float sum in another order is a difference)
    return None if type(a) is type(b) and a == b else f"{path}: old {str(a)[:200]!r} new {str(b)[:200]!r}"


def compare_traces(args: argparse.Namespace) -> int:
    traces = replay_traces() + synthetic_traces(Path(args.corpus), args.synthetic)
    print(f"{len(traces):,} traces ({sum(t['id'].startswith('synthetic/') for t in traces):,} synthetic); "
          f"old = {args.ref}, new = working tree", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "traces.pkl").write_bytes(pickle.dumps(traces))
        old = run_side(old_tree(args.ref, tmp / "old"), tmp / "traces.pkl", tmp / "old.pkl")
        new = run_side(ROOT, tmp / "traces.pkl", tmp / "new.pkl")
        if old.wait() or new.wait():
            print("a side failed", file=sys.stderr)
            return 2
        a, b = pickle.loads((tmp / "old.pkl").read_bytes()), pickle.loads((tmp / "new.pkl").read_bytes())
    diffs = [(t["id"], first_difference(a[t["id"]], b[t["id"]])) for t in traces]
    diffs = [(i, d) for i, d in diffs if d]
    for trace_id, diff in diffs[:20]:
        print(f"DIFFERENT {trace_id}: {diff}")
    print(f"{len(traces) - len(diffs):,}/{len(traces):,} traces identical "
          f"({len(diffs):,} different; fields per trace: {', '.join(next(iter(a.values())))})")
    return 1 if diffs else 0


TABLES = {  # table -> columns that are timestamps (not compared)
    "sample_verdicts": ["created_at"], "measures": ["measured_at"], "filtered": [], "selection": [],
    "prompt_flags": [], "final": [],
}


def compare_workspaces(old: Path, new: Path) -> int:
    import duckdb

    differ = 0
    con = duckdb.connect()
    con.execute(f"ATTACH '{old / 'curation.duckdb'}' AS a (READ_ONLY); ATTACH '{new / 'curation.duckdb'}' AS b (READ_ONLY)")
    for table, skip in TABLES.items():
        cols = [r[0] for r in con.execute(f"SELECT column_name FROM duckdb_columns() WHERE database_name = 'a' "
                                          f"AND table_name = '{table}' ORDER BY column_index").fetchall() if r[0] not in skip]
        if not cols:
            print(f"{table}: not in {old}")
            differ += 1
            continue
        sel = ", ".join(f'"{c}"' for c in cols)
        n = con.execute(f"SELECT count(*) FROM a.{table}").fetchone()[0]
        only_old = con.execute(f"SELECT count(*) FROM (SELECT {sel} FROM a.{table} EXCEPT ALL SELECT {sel} FROM b.{table})").fetchone()[0]
        only_new = con.execute(f"SELECT count(*) FROM (SELECT {sel} FROM b.{table} EXCEPT ALL SELECT {sel} FROM a.{table})").fetchone()[0]
        same = not only_old and not only_new
        differ += not same
        print(f"{table}: {n:,} rows, {only_old:,} only in old, {only_new:,} only in new: {'identical' if same else 'DIFFERENT'}")
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ref", default="main", help="git ref of the old implementation (default main)")
    parser.add_argument("--corpus", default="/tmp/i20corpus", help="synthetic corpus directory")
    parser.add_argument("--synthetic", type=int, default=2000, help="synthetic samples to compare (default 2000)")
    parser.add_argument("--workspaces", nargs=2, metavar=("OLD", "NEW"), help="compare two curation workdirs instead")
    args = parser.parse_args(argv)
    if args.workspaces:
        return compare_workspaces(*map(Path, args.workspaces))
    return compare_traces(args)


if __name__ == "__main__":
    sys.exit(main())
