"""Benchmark: stages 3 to 7 of `python -m curation` on a synthetic corpus with planted defects.

    python scripts/bench_curation.py --samples 80000
    python scripts/bench_curation.py --samples 800000 --corpus /data/syn800k --workdir /data/bench800k

Generates the corpus once (`python -m tests.fixtures.synthetic_corpus`, cached in --corpus), ingests its prompts,
registers its samples, then times verify, filter, select, decontaminate and export, sampling the
resident memory of this process and all its workers every 0.2 s. Finally it compares what the
pipeline dropped or flagged with the generator's labels, kind by kind: recovery is exact when
both sets of ids are equal. Prints one table of stage times and one of planted vs found, and the answer
verdicts lost to the verifier's time limit (reason `timeout`; there should be none). Exits 1 when recovery
is not exact or a verdict timed out.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from curation import stages  # noqa: E402
from curation.db import Workspace  # noqa: E402
from curation.decontaminate import DecontaminateOptions  # noqa: E402
from curation.export import ExportOptions  # noqa: E402
from curation.filters import FilterOptions  # noqa: E402
from curation.ingest import IngestOptions  # noqa: E402
from curation.select import SelectOptions  # noqa: E402
from curation.verify import VerifyOptions  # noqa: E402

# planted kind -> SQL giving the ids the pipeline found (prompt ids or sample ids)
FOUND = {
    "contaminated_prompt": "SELECT prompt_id FROM prompt_flags WHERE flag = 'contaminated'",
    "exact_duplicate_prompt": "SELECT prompt_id FROM prompt_flags WHERE flag = 'exact_duplicate'",
    "near_duplicate_prompt": "SELECT prompt_id FROM prompt_flags WHERE flag = 'near_duplicate'",
    "wrong_answer": "SELECT sample_id FROM filtered WHERE reason = 'incorrect'",
    "truncated": "SELECT sample_id FROM filtered WHERE reason = 'truncated'",
    "loop": "SELECT sample_id FROM filtered WHERE reason = 'repetition_loop'",
    "mixed_language": "SELECT sample_id FROM filtered WHERE reason = 'mixed_language'",
}


class PeakMemory(threading.Thread):
    """Peak of the summed RSS of this process and its descendants (workers included)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak, self.stopped = 0, threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.2):
            self.peak = max(self.peak, tree_rss(os.getpid()))

    def reset(self) -> int:
        peak, self.peak = self.peak, tree_rss(os.getpid())
        return max(peak, self.peak)


def tree_rss(root: int) -> int:
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                parent = int(f.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/statm") as f:
                rss[int(entry)] = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(parent, []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def cpu_seconds() -> tuple[float, float]:
    """User + system seconds of this process, and of its finished children (the stage's workers, once joined)."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, children.ru_utime + children.ru_stime


def ensure_corpus(path: Path, samples: int, seed: int, workers: int) -> dict:
    manifest = path / "manifest.json"
    if manifest.exists() and json.loads(manifest.read_text())["parameters"]["samples"] == samples:
        return json.loads(manifest.read_text())
    from tests.fixtures.synthetic_corpus import generate

    shutil.rmtree(path, ignore_errors=True)
    started = time.time()
    result = generate(path, samples, seed=seed, workers=workers)
    print(f"[bench] corpus of {samples:,} samples written in {time.time() - started:.0f}s", file=sys.stderr)
    return result


def recovery(ws: Workspace, corpus: Path) -> list[tuple[str, int, int, int, int]]:
    con = ws.connect(read_only=True)
    try:
        labels = con.execute(f"SELECT kind, CASE WHEN sample_index IS NULL THEN prompt_id ELSE prompt_id || '/' || "
                             f"'synthetic-r1/' || sample_index END FROM read_parquet('{corpus}/labels.parquet')"
                             ).fetchall()
        planted: dict[str, set[str]] = {}
        for kind, key in labels:
            planted.setdefault(kind, set()).add(key)
        out = []
        for kind, sql in FOUND.items():
            found = {r[0] for r in con.execute(sql).fetchall()}
            want = planted.get(kind, set())
            out.append((kind, len(want), len(found), len(want - found), len(found - want)))
        return out
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=80_000)
    parser.add_argument("--corpus", help="corpus directory (default: /tmp/curation-corpus-N)")
    parser.add_argument("--workdir", help="workspace (default: /tmp/curation-bench-N; emptied first)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args(argv)
    corpus = Path(args.corpus or f"/tmp/curation-corpus-{args.samples}")
    workdir = Path(args.workdir or f"/tmp/curation-bench-{args.samples}")
    manifest = ensure_corpus(corpus, args.samples, args.seed, args.workers)
    shutil.rmtree(workdir, ignore_errors=True)
    ws = Workspace(workdir)
    memory = PeakMemory()
    memory.start()
    timings = []
    plan = [
        ("ingest", lambda: stages.ingest(ws, IngestOptions(source=str(corpus / "prompts.parquet"), name="synthetic"))),
        ("register samples", lambda: stages.add_samples(ws, sorted(str(p) for p in (corpus / "samples").glob("*.parquet")),
                                                        "synthetic", None)),
        ("3 verify", lambda: stages.verify(ws, VerifyOptions(workers=args.workers))),
        ("4 filter", lambda: stages.filter_samples(ws, FilterOptions())),
        ("5 select", lambda: stages.select(ws, SelectOptions())),
        ("6 decontaminate", lambda: stages.decontaminate(ws, DecontaminateOptions())),
        ("7 export", lambda: stages.export(ws, ExportOptions())),
    ]
    for name, work in plan:
        started, cpu_before = time.time(), cpu_seconds()
        work()
        cpu_after = cpu_seconds()
        timings.append((name, time.time() - started, memory.reset(), cpu_after[0] - cpu_before[0],
                        cpu_after[1] - cpu_before[1]))
    memory.stopped.set()
    core = sum(t for name, t, *_ in timings if name[0].isdigit())
    peak = max(p for name, _, p, *_ in timings if name[0].isdigit())
    own, workers = (sum(row[i] for row in timings if row[0][0].isdigit()) for i in (3, 4))
    print(f"\ncorpus: {args.samples:,} samples, mean {manifest['mean_completion_tokens']['overall']:,.0f} tokens, "
          f"{manifest['text_bytes']['completions'] / 1e9:.1f} GB of text; {args.workers} workers on {os.cpu_count()} "
          "cores\n")
    print("| stage | seconds | samples/s | CPU s (this process + workers) | peak RSS (GB) |\n|---|---|---|---|---|")
    for name, seconds, rss, me, kids in timings:
        print(f"| {name} | {seconds:,.1f} | {args.samples / seconds:,.0f} | {me:,.1f} + {kids:,.1f} | {rss / 1e9:.2f} |")
    print(f"| **stages 3-7** | **{core:,.1f}** ({core / 60:.1f} min) | {args.samples / core:,.0f} | {own:,.1f} + "
          f"{workers:,.1f} | {peak / 1e9:.2f} |")
    # CPU is the figure to compare on a shared machine: wall time is the other jobs' as much as this one's
    print(f"\nCPU of stages 3-7 (user + sys, workers included): {own + workers:,.1f} s, "
          f"{(own + workers) / args.samples * 1e3:.2f} ms a sample ({own:,.1f} s in this process: reads, writes, "
          f"dispatch; {workers:,.1f} s in worker processes)")
    print("\n| planted kind | planted | found | missed | false positives | exact |\n|---|---|---|---|---|---|")
    exact = True
    for kind, want, found, missed, extra in recovery(ws, corpus):
        exact &= missed == 0 and extra == 0
        print(f"| {kind} | {want:,} | {found:,} | {missed:,} | {extra:,} | {'yes' if not missed and not extra else 'NO'} |")
    timeouts = timed_out(ws)
    print(f"\nanswer verdicts lost to the time limit: {len(timeouts):,}" + "".join(f"\n  {row}" for row in timeouts[:20]))
    return 0 if exact and not timeouts else 1


def timed_out(ws: Workspace) -> list[tuple]:
    con = ws.connect(read_only=True)
    try:
        return con.execute("SELECT sample_id, verifier, details FROM sample_verdicts WHERE reason = 'timeout' "
                           "ORDER BY sample_id").fetchall()
    finally:
        con.close()


if __name__ == "__main__":
    sys.exit(main())
