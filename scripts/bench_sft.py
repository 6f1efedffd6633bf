"""SFT on a curation export on this CPU: does the loss fall? Prints the loss curve.

    python scripts/bench_sft.py                       # 600 synthetic samples -> curation -> export -> 40 steps
    python scripts/bench_sft.py --export runs/curation/export --steps 60

1. unless --export is given, writes a synthetic corpus and takes it through every curation stage
   (`tests.fixtures.synthetic_export`) to a `messages` + `prompt_completion` export;
2. trains SmolLM2-135M with `python -m training sft` (preset `cpu`) on it;
3. prints the loss per step, the mean of the first and last quarter, and the seconds per step.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--export", help="an existing curation export (default: build a synthetic one)")
    parser.add_argument("--samples", type=int, default=600, help="synthetic corpus size")
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--max-length", type=int, default=256)
    parser.add_argument("--workdir", default="runs/bench_sft")
    args = parser.parse_args()

    from tests.fixtures.synthetic_export import synthetic_export
    from training.config import SFTOptions
    from training.record import read_metrics
    from training.sft import run

    work = Path(args.workdir)
    export = args.export or synthetic_export(str(work / "curation"), args.samples)
    started = time.time()
    run(SFTOptions(preset="cpu", data=[export], output_dir=str(work / "run"), max_steps=args.steps,
                   max_length=args.max_length))
    seconds = time.time() - started
    losses = [(m["step"], float(m["loss"])) for m in read_metrics(work / "run") if "loss" in m]
    print(f"\nSFT, preset cpu, SmolLM2-135M-Instruct on {export}: {args.steps} steps of 4 sequences "
          f"(max {args.max_length} tokens) in {seconds / 60:.1f} min")
    print("step  loss")
    for step, loss in losses:
        print(f"{step:>4}  {loss:.3f}")
    q = max(1, len(losses) // 4)
    first = sum(loss for _, loss in losses[:q]) / q
    last = sum(loss for _, loss in losses[-q:]) / q
    print(f"mean loss, first {q} steps: {first:.3f}; last {q} steps: {last:.3f} ({(last / first - 1) * 100:+.0f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
