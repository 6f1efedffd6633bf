"""Throughput of the text signals on long reasoning traces (32K tokens by default).

    python scripts/bench_signals.py                 # 32K-token traces, 3 kinds, 3 repeats
    python scripts/bench_signals.py --tokens 8000 --repeat 5

Traces are built from real R1-family completions in ../shared/data/replay (or a built-in English
passage when that data is absent): an English trace with LaTeX, a mixed Chinese/English trace, and
one that ends in a degenerate loop. Tokens are counted with SmolLM2's tokenizer when the embedded
model is prepared (`python -m evals run --model smollm2-135m-instruct` once), otherwise estimated
as 1.3 per word. Prints seconds and tokens per second for each signal and for the whole bundle.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evals.verifiers.format_check import check_format  # noqa: E402
from evals.verifiers.language import identify, language_consistency, reasoning_of  # noqa: E402
from evals.verifiers.readability import readability  # noqa: E402
from evals.verifiers.repetition import repetition  # noqa: E402
from evals.verifiers.signals import text_signals  # noqa: E402

FALLBACK = ("Let me compute the area of the triangle with sides $3$, $4$ and $5$. Since $3^2 + 4^2 = 5^2$, "
            "it is a right triangle, so the area is $\\frac{1}{2} \\cdot 3 \\cdot 4 = 6$. Wait, let me check "
            "that with Heron's formula: $s = 6$ and $\\sqrt{6 \\cdot 3 \\cdot 2 \\cdot 1} = 6$. ")
CHINESE = "我们先验证一下这个结果，把每一项代回原式，看看两边是否相等。"


def real_passages() -> list[str]:
    path = ROOT.parent / "shared" / "data" / "replay" / "tldr14b_math500_n1.json"
    if not path.exists():
        return [FALLBACK]
    data = json.loads(path.read_text(encoding="utf-8"))
    # some responses close a thinking section they never opened: keep the text, not the tags
    return [r["content"].replace("</think>", "") for item in data.values() for rs in item["responses"].values()
            for r in rs if r.get("content")]


def counter() -> tuple[str, Callable[[str], int]]:
    try:
        from evals import embedded

        if embedded.is_ready():
            from transformers import AutoTokenizer

            tok = AutoTokenizer.from_pretrained(str(embedded.model_dir()))
            return "SmolLM2 tokenizer", lambda text: len(tok(text, add_special_tokens=False)["input_ids"])
    except ImportError:
        pass
    return "1.3 x words (estimate)", lambda text: int(len(text.split()) * 1.3)


def build(kind: str, tokens: int, passages: list[str], count: Callable[[str], int]) -> str:
    """A trace of about ``tokens`` tokens: real passages joined (and, by kind, mixed or looping)."""
    parts: list[str] = []
    size, i = 0, 0
    target = tokens if kind != "loop" else tokens // 2
    while size < target:
        part = passages[i % len(passages)] + ("\n\n" + CHINESE if kind == "mixed" and i % 3 == 0 else "")
        parts.append(part)
        size += count(part)
        i += 1
    text = "<think>\n" + "\n\n".join(parts)
    if kind == "loop":
        unit = "Wait, let me recompute the discriminant: $b^2 - 4ac = 16 - 12 = 4$. "
        text += "\n\n" + unit * max(1, (tokens - size) // max(1, count(unit)))
        return text  # cut at the limit: never closed
    return text + "\n</think>\nThe answer is $\\boxed{6}$."


def timed(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        identify.cache_clear()  # no help from runs identified in an earlier repeat
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tokens", type=int, default=32768, help="trace length in tokens (default 32768)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is shown")
    args = parser.parse_args()
    how, count = counter()
    passages = real_passages()
    language_consistency("warm up the language model", "en")
    print(f"traces of ~{args.tokens:,} tokens ({how}); median of {args.repeat} runs; one core\n")
    print(f"{'trace':8} {'tokens':>7} {'signal':12} {'seconds':>8} {'tokens/s':>12}")
    for kind in ("english", "mixed", "loop"):
        text = build(kind, args.tokens, passages, count)
        n = count(text)
        reasoning = reasoning_of(text)
        steps = {
            "language": lambda r=reasoning: language_consistency(r, "en"),
            "format": lambda t=text: check_format(t),
            "repetition": lambda t=text: repetition(t),
            "readability": lambda r=reasoning: readability(r, target_language="en"),
            "all four": lambda t=text: text_signals(t, prompt="Find the area."),
        }
        for name, fn in steps.items():
            seconds = timed(fn, args.repeat)
            print(f"{kind:8} {n:>7,} {name:12} {seconds:>8.4f} {n / seconds:>12,.0f}")
        found = text_signals(text, prompt="Find the area.")
        summary = {k: (v.reason, round(v.score, 3)) for k, v in found.items()}
        print(f"{'':8} verdicts: {summary}\n")


if __name__ == "__main__":
    main()
