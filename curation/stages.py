"""The stages as library calls: each opens the workspace, runs, and records its settings, counts and
time in `stage_runs` (what the data card's "Stages" table shows).

    from curation import stages
    from curation.db import Workspace
    ws = Workspace("runs/curation")
    stages.ingest(ws, IngestOptions(source="problems.jsonl", domain="math"))
    stages.verify(ws, VerifyOptions()); stages.filter_samples(ws, FilterOptions()); ...
"""
from __future__ import annotations

import dataclasses
import sys
import time
from collections.abc import Callable
from typing import Any

from evals.errors import DataError

from .card import funnel
from .db import Workspace


def _staged(name: str, ws: Workspace, options: Any, work: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    started = time.time()
    con = ws.connect()
    try:
        counts = work(con)
        ws.record_stage(con, name, dataclasses.asdict(options), counts, started)
        return counts
    finally:
        con.close()


def ingest(ws: Workspace, options: Any) -> dict[str, Any]:
    from .ingest import IngestError, ingest_rows, to_table

    def work(con: Any) -> dict[str, Any]:
        try:
            rows, errors = ingest_rows(options)
        except IngestError as exc:
            raise DataError(str(exc)) from exc
        first = con.execute("SELECT coalesce(max(ingest_order) + 1, 0) FROM prompts").fetchall()[0][0]
        table = to_table(rows, first)
        if table.num_rows:
            con.register("_new_prompts", table)
            con.execute("INSERT OR REPLACE INTO prompts BY NAME SELECT * FROM _new_prompts")
            con.unregister("_new_prompts")
        for error in errors:
            print(f"[curation] skipped: {error}", file=sys.stderr)
        domains = dict(con.execute("SELECT domain, count(*) FROM prompts GROUP BY 1").fetchall())
        return {"ingested": len(rows), "skipped": len(errors), "prompts_by_domain": domains}

    return _staged("ingest", ws, options, work)


def generate(ws: Workspace, options: Any) -> dict[str, Any]:
    from .generate import generate as run

    return _staged("generate", ws, options, lambda con: run(ws, con, options))


def verify(ws: Workspace, options: Any) -> dict[str, Any]:
    from .verify import verify as run

    return _staged("verify", ws, options, lambda con: run(ws, con, options))


def llm_judge(ws: Workspace, options: Any) -> dict[str, Any]:
    from .llm_judge import run_judge

    return _staged("judge", ws, options, lambda con: run_judge(con, options))


def filter_samples(ws: Workspace, options: Any) -> dict[str, Any]:
    from .filters import run_filter

    return _staged("filter", ws, options, lambda con: run_filter(con, options))


def select(ws: Workspace, options: Any) -> dict[str, Any]:
    from .select import run_select

    return _staged("select", ws, options, lambda con: run_select(con, options))


def decontaminate(ws: Workspace, options: Any) -> dict[str, Any]:
    from .decontaminate import run_decontaminate

    return _staged("decontaminate", ws, options, lambda con: run_decontaminate(con, options))


def export(ws: Workspace, options: Any) -> dict[str, Any]:
    from .export import run_export

    return _staged("export", ws, options, lambda con: run_export(ws, con, options))


def add_samples(ws: Workspace, files: list[str], name: str, model: str | None) -> int:
    from .samples import add_files

    con = ws.connect()
    try:
        counts = add_files(ws, con, files, name, model)
    finally:
        con.close()
    print(f"[curation] source {name}: {counts['samples']:,} samples registered", file=sys.stderr)
    return 0


def status(ws: Workspace) -> int:
    con = ws.connect(read_only=True)
    try:
        for step, n in funnel(con):
            print(f"{step:<40} {n:>12,}")
        print()
        for stage, seconds, counts in con.execute("SELECT stage, seconds, counts FROM stage_runs ORDER BY started_at")\
                .fetchall():
            print(f"{stage:<14} {seconds:8.1f}s  {counts[:160]}")
    finally:
        con.close()
    return 0
