"""The data card: README.md (with the Hub's `configs:` header, so `load_dataset(repo)` finds both
formats) and card.json, from the workspace tables: counts per domain and source, the funnel from
generated samples to the export, length distributions, and the contamination and duplicate report.
"""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from .db import table_exists
from .verdicts import CHECKS_VERSION

PERCENTILES = (0.1, 0.5, 0.9, 0.99)


def funnel(con: Any) -> list[tuple[str, int]]:
    """(step, samples remaining) from every sample to the exported set, one row per way of losing some."""
    steps: list[tuple[str, int]] = [("samples", con.execute("SELECT count(*) FROM samples").fetchall()[0][0])]
    if table_exists(con, "checks"):
        steps.append(("verified", con.execute("SELECT count(*) FROM checks SEMI JOIN samples USING (sample_id)")
                      .fetchall()[0][0]))
    if table_exists(con, "filtered"):
        remaining = steps[-1][1]
        for reason, n in con.execute("SELECT reason, count(*) FROM filtered WHERE NOT kept GROUP BY 1 "
                                     "ORDER BY 2 DESC, 1").fetchall():
            steps.append((f"dropped: {reason}", -n))
        remaining = con.execute("SELECT count(*) FROM filtered WHERE kept").fetchall()[0][0]
        steps.append(("kept by the filters", remaining))
    if table_exists(con, "selection"):
        for reason, n in con.execute("SELECT reason, count(*) FROM selection WHERE NOT selected GROUP BY 1 "
                                     "ORDER BY 2 DESC, 1").fetchall():
            steps.append((f"not selected: {reason}", -n))
        steps.append(("selected", con.execute("SELECT count(*) FROM selection WHERE selected").fetchall()[0][0]))
    if table_exists(con, "final"):
        lost = con.execute("SELECT f.flag, count(*) FROM selection s JOIN prompt_flags f USING (prompt_id) "
                           "WHERE s.selected GROUP BY 1 ORDER BY 2 DESC, 1").fetchall()
        for flag, n in lost:
            steps.append((f"prompt removed: {flag}", -n))
        over = con.execute("SELECT count(*) FROM final WHERE NOT exported").fetchall()[0][0]
        if over:
            steps.append(("over the domain target", -over))
        steps.append(("exported", con.execute("SELECT count(*) FROM final WHERE exported").fetchall()[0][0]))
    return steps


def lengths(con: Any) -> list[dict[str, Any]]:
    quantiles = ", ".join(f"quantile_cont(c.completion_tokens, {q}) AS p{int(q * 100)}" for q in PERCENTILES)
    rows = con.execute(f"""
        SELECT f.domain, count(*) AS samples, round(avg(c.completion_tokens)) AS mean_tokens, {quantiles},
               sum(c.completion_tokens) AS total_tokens
        FROM final f JOIN measures c ON c.sample_id = f.sample_id AND c.version = '{CHECKS_VERSION}'
        WHERE f.exported GROUP BY ROLLUP (f.domain) ORDER BY f.domain""")
    names = [d[0] for d in rows.description]
    return [dict(zip(names, r), domain=r[0] or "all") for r in rows.fetchall()]


def write_card(con: Any, out: Path, options: Any, shards: int) -> dict[str, Any]:
    by_domain = dict(con.execute("SELECT domain, count(*) FROM final WHERE exported GROUP BY 1 ORDER BY 1").fetchall())
    by_source = con.execute("SELECT domain, source, count(*) FROM final WHERE exported GROUP BY ALL ORDER BY ALL"
                            ).fetchall()
    available = dict(con.execute("SELECT domain, count(*) FROM final GROUP BY 1").fetchall())
    flags = con.execute("SELECT flag, split_part(detail, ':', 1) AS against, count(*) FROM prompt_flags "
                        "GROUP BY ALL ORDER BY ALL").fetchall()
    examples = con.execute("SELECT prompt_id, detail, evidence FROM prompt_flags WHERE flag = 'contaminated' "
                           "ORDER BY prompt_id LIMIT 10").fetchall()
    status = con.execute("SELECT * FROM benchmark_status").fetchall() if table_exists(con, "benchmark_status") else []
    stages = con.execute("SELECT stage, config, counts, seconds FROM stage_runs ORDER BY started_at").fetchall()
    card = {
        "created_at": time.time(), "exported_by_domain": by_domain,
        "targets": options.targets, "shortfall": {d: t - by_domain.get(d, 0) for d, t in options.targets.items()
                                                  if by_domain.get(d, 0) < t},
        "available_by_domain": available, "by_source": [list(r) for r in by_source], "funnel": funnel(con),
        "lengths": lengths(con), "prompt_flags": [list(r) for r in flags], "contamination_examples": examples,
        "benchmarks": dict(status), "stages": [{"stage": s, "config": json.loads(c), "counts": json.loads(n),
                                                 "seconds": round(t, 2)} for s, c, n, t in stages],
        "formats": options.formats, "shards": shards,
    }
    (out / "card.json").write_text(json.dumps(card, indent=2, default=str), encoding="utf-8")
    (out / "README.md").write_text(render(card), encoding="utf-8")
    return card


def _table(header: list[str], rows: list[list[Any]]) -> str:
    def cell(v: Any) -> str:
        return f"{v:,}" if isinstance(v, int) else f"{v:,.0f}" if isinstance(v, float) else str(v)

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def render(card: dict[str, Any]) -> str:
    configs = "\n".join(f"- config_name: {fmt}\n  data_files:\n  - split: train\n    path: {fmt}/*.parquet"
                        + ("\n  default: true" if i == 0 else "") for i, fmt in enumerate(card["formats"]))
    total = sum(card["exported_by_domain"].values())
    parts = [
        f"---\nconfigs:\n{configs}\ntags:\n- reasoning\n- rejection-sampling\n- r1-evals\n---",
        "# Rejection-sampled SFT set",
        f"{total:,} samples, made with `python -m curation` (r1-evals). Each assistant turn holds the reasoning "
        "inside `<think>…</think>` followed by the answer. Mind chat templates that drop the `<think>` part of "
        "assistant turns (the R1 distills', Qwen3's): override them, or SFT silently trains without the reasoning.",
        "## Samples per domain",
        _table(["domain", "exported", "available", "target"],
               [[d, card["exported_by_domain"].get(d, 0), n, card["targets"].get(d, "all")]
                for d, n in sorted(card["available_by_domain"].items())]),
        "## Samples per source", _table(["domain", "source", "samples"], card["by_source"]),
        "## Funnel", _table(["step", "samples"], [[s, n] for s, n in card["funnel"]]),
        "## Completion length (tokens)",
        _table(["domain", "samples", "mean", "p10", "p50", "p90", "p99", "total"],
               [[r["domain"], r["samples"], r["mean_tokens"], r["p10"], r["p50"], r["p90"], r["p99"],
                 r["total_tokens"]] for r in card["lengths"]]),
        "## Decontamination and duplicate prompts",
        "Prompts sharing a word 8-gram with a benchmark problem are removed, and so are exact and near "
        "(word 5-gram Jaccard) duplicates of an earlier prompt.",
        _table(["flag", "against", "prompts"], card["prompt_flags"]) if card["prompt_flags"] else "No prompt flagged.",
        _table(["benchmark", "status"], [[k, v] for k, v in card["benchmarks"].items()]),
    ]
    if card["contamination_examples"]:
        parts += ["Examples of contaminated prompts:",
                  _table(["prompt", "benchmark problem", "shared 8-gram"], card["contamination_examples"])]
    if card["shortfall"]:
        parts += ["**Short of target:** " + ", ".join(f"{d} by {n:,}" for d, n in card["shortfall"].items())]
    parts += ["## Stages", _table(["stage", "seconds", "settings"],
                                  [[s["stage"], f"{s['seconds']:.1f}", json.dumps(s["config"], default=str)[:300]]
                                   for s in card["stages"]])]
    return "\n\n".join(parts) + "\n"
