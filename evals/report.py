"""Rendering a run's results (computed by evals.results): the summary table printed at the end of
`python -m evals run` and by `python -m evals show`, and the JSON written beside them.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

NA = "—"  # a figure that does not apply (or is unknown), never a 0


def _pct(x: dict | float | None) -> str:
    if x is None:
        return NA
    if isinstance(x, dict):
        return f"{100 * x['value']:.1f} [{100 * x['low']:.1f}, {100 * x['high']:.1f}]"
    return f"{100 * x:.1f}"


def _row(r: dict[str, Any]) -> dict[str, str]:
    k = r.get("k", 0)
    tokens = (r.get("response_tokens") or {}).get("mean")
    signals = r.get("signals") or {}
    return {
        "model": r.get("model", "?"), "benchmark": r["benchmark"], "k": str(k),
        "scored": f"{r.get('problems_scored', 0)}/{r.get('problems', 0)}",
        "pass@1 % [95% CI]": _pct(r.get("pass@1")),
        # at k = 1 both repeat pass@1: shown only for k > 1
        "cons@k %": _pct(r.get(f"cons@{k}")) if k > 1 else NA,
        "pass@k %": _pct((r.get("pass@k") or {}).get(str(k))) if k > 1 else NA,
        # the failure modes: no final answer written, and cut at the token budget
        "no answer %": _pct(r.get("no_answer_rate")), "trunc %": _pct(r.get("truncation_rate")),
        "tokens": NA if tokens is None else f"{tokens:.0f}",
        "lang %": _pct(signals.get("language_consistency")), "loop %": _pct(signals.get("loop_rate")),
        # None for a model that never thinks: the <think> format does not apply to it
        "fmt err %": _pct(signals.get("format_error_rate")),
    }


def summary_table(results: Sequence[dict[str, Any]]) -> str:
    """A fixed-width table: one line per (model, benchmark). Columns that say nothing for every row (cons@k and
    pass@k when every run has k = 1, a signal no run has) are left out."""
    rows = [_row(r) for r in results]
    head = list(rows[0]) if rows else list(_row({"benchmark": ""}))
    optional = ("cons@k %", "pass@k %", "lang %", "loop %", "fmt err %", "tokens")
    head = [h for h in head if h not in optional or not rows or any(row[h] != NA for row in rows)]
    lines = [head, *([row[h] for h in head] for row in rows)]
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
