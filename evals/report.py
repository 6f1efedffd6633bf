"""Rendering a run's results (computed by evals.results): the summary table printed at the end of
`python -m evals run` and by `python -m evals show`, and the JSON written beside them.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any


def _pct(x: dict | float | None) -> str:
    if x is None:
        return "-"
    if isinstance(x, dict):
        return f"{100 * x['value']:.1f} [{100 * x['low']:.1f}, {100 * x['high']:.1f}]"
    return f"{100 * x:.1f}"


def summary_table(results: Sequence[dict[str, Any]]) -> str:
    """A fixed-width table: one line per (model, benchmark)."""
    head = ("model", "benchmark", "k", "scored", "pass@1 % [95% CI]", "cons@k %", "pass@k %", "trunc %", "tokens",
            "lang %", "loop %", "fmt err %")
    lines = [head]
    for r in results:
        k = r.get("k", 0)
        tokens = (r.get("response_tokens") or {}).get("mean")
        lines.append((
            r.get("model", "?"), r["benchmark"], str(k), f"{r.get('problems_scored', 0)}/{r.get('problems', 0)}",
            _pct(r.get("pass@1")), _pct(r.get(f"cons@{k}")), _pct((r.get("pass@k") or {}).get(str(k))),
            _pct(r.get("truncation_rate")), "-" if tokens is None else f"{tokens:.0f}",
            *(_pct((r.get("signals") or {}).get(m)) for m in ("language_consistency", "loop_rate", "format_error_rate")),
        ))
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(head))]
    text = ["  ".join(str(c).ljust(w) for c, w in zip(line, widths)).rstrip() for line in lines]
    text.insert(1, "  ".join("-" * w for w in widths))
    text += [rating_line(r) for r in results if r.get("rating")]
    return "\n".join(text)


def rating_line(result: dict[str, Any]) -> str:
    """A Codeforces run's rating (evals.contest_rating), or why it has none."""
    block, who = result["rating"], f"{result.get('model', '?')} {result['benchmark']}"
    if "value" not in block:
        return f"{who} rating: {block.get('error') or block.get('needs')}"
    low, high = block["interval"]
    pct = "" if block.get("percentile") is None else f", above {block['percentile']:.1f}% of rated users"
    return (f"{who} rating ({block['rule']}, {block['contests']} contests): {block['value']:.0f} "
            f"[{low:.0f}, {high:.0f} over samples]{pct}")


def dumps(result: dict[str, Any]) -> str:
    return json.dumps(result, indent=2, sort_keys=True)
