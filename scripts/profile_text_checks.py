"""Profile the verify stage's text checks (`curation.checks.text_checks`) on synthetic traces.

    python scripts/profile_text_checks.py [--traces 300] [--corpus /tmp/curation-corpus-20000] [--top 25]

Reads 3 x --traces samples from the corpus (made with `python -m tests.fixtures.synthetic_corpus` when
it does not exist): the first third warms the worker-like caches and loads the language model, the
second is timed without a profiler (CPU ms a trace, the comparable figure), the third runs under
cProfile, whose top lines (by own time, then cumulative) are printed.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pyarrow.parquet as pq  # noqa: E402

from curation.checks import text_checks  # noqa: E402


def load(corpus: Path, count: int) -> list[tuple]:
    if not (corpus / "manifest.json").exists():
        from tests.fixtures.synthetic_corpus import generate

        generate(corpus, max(count, 2000), seed=0, workers=1)
    rows: list[dict] = []
    for part in sorted((corpus / "samples").glob("*.parquet")):
        rows += pq.read_table(part, columns=["completion", "finish_reason"]).slice(0, count - len(rows)).to_pylist()
        if len(rows) >= count:
            break
    # what verify sends a worker for a math sample (language from the question, boxed answer required)
    return [(r["completion"], None, False, True, r["finish_reason"]) for r in rows]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--traces", type=int, default=300, help="traces timed, and as many profiled")
    parser.add_argument("--corpus", default="/tmp/curation-corpus-20000", help="synthetic corpus directory")
    parser.add_argument("--top", type=int, default=25, help="lines of each profile table")
    args = parser.parse_args(argv)
    items = load(Path(args.corpus), 3 * args.traces)
    if len(items) < 3 * args.traces:
        parser.error(f"{args.corpus} holds {len(items)} samples; --traces {args.traces} needs {3 * args.traces}")
    warm, timed, profiled = (items[i * args.traces:(i + 1) * args.traces] for i in range(3))
    for item in warm:
        text_checks(*item)
    started = time.process_time()
    for item in timed:
        text_checks(*item)
    cpu = time.process_time() - started
    profile = cProfile.Profile()
    profile.enable()
    for item in profiled:
        text_checks(*item)
    profile.disable()
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)
    print(f"text_checks: {cpu / args.traces * 1e3:.2f} ms CPU a trace over {args.traces} traces (no profiler)\n")
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
