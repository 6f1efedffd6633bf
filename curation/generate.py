"""Stage 2, generate: N samples per prompt through the evaluation's backends, into its store.

    python -m curation generate --model deepseek-r1-distill-qwen-7b --samples 16            # vLLM on a GPU
    python -m curation generate --model my-rl-ckpt --base-url http://host:8000/v1 --samples 16 --shard 3/8

The review's recipe: 16 samples per prompt at temperature 1.0. Samples go to `<workdir>/store`
under the evaluation's key (model + revision, prompt hash, sampling hash, sample index), flushed
every second, so a killed job resumes without paying for a sample twice. With `--shard i/N` each
machine takes every N-th prompt; merge by copying the other machines' `store/samples/*.parquet`
into this workdir's `store/samples/` (then re-run `generate --register-only` or any later stage).
With `--ray [ADDRESS|auto]` the samples come from engine actors on a Ray cluster, through the same
work queue as `python -m evals run --ray`; this process still writes the store, so resuming is the same.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Any

from evals.backends import Request, derive_seed
from evals.config import GenerationConfig, run_config
from evals.config_flags import option
from evals.runner import Runner

from .db import Workspace
from .samples import add_store


@dataclass
class GenerateOptions(GenerationConfig):
    """Every field is a flag of `python -m curation generate`: the evaluation's generation fields, with the
    review's recipe as defaults (16 samples per prompt at temperature 1.0), and curation's own."""
    samples: int = 16
    temperature: float = 1.0
    domains: list[str] | None = None
    register_only: bool = False  # only (re-)register the store's samples, e.g. after merging shards
    ray: str | None = option(None, metavar="ADDRESS", const="auto",
                             help="generate on a Ray cluster's engine actors: HOST:PORT of its head, or auto (bare "
                                  "--ray) for this machine's cluster or a new local one; needs `pip install "
                                  "'r1-evals[ray]'`")


def generate(ws: Workspace, con: Any, options: GenerateOptions) -> dict[str, Any]:
    config = run_config(options, db=str(ws.store_dir), ray=options.ray)
    runner = Runner(config)
    name = f"generated:{runner.spec.name}:{runner.sampling.hash}"
    try:
        if not options.register_only:
            requests = _requests(con, runner, options)
            if requests:  # one writer per (model, sampling) and shard, as `evals run` per run
                with runner.store.writer_lock(name.replace(":", "__").replace("/", "--"), options.shard):
                    runner.stream(requests, "generate", lambda buffer: _flush(runner, buffer))
    finally:
        runner.close()
    add_store(con, ws.store_dir, name, runner.spec.name, runner.sampling.hash)
    stored = con.execute("SELECT count(*) FROM samples WHERE source = ?", [name]).fetchall()[0][0]
    return {"source": name, "model": runner.spec.name, "sampling": runner.sampling.to_dict(), "samples_stored": stored}


def _requests(con: Any, runner: Runner, options: GenerateOptions) -> list[Request]:
    where, params = "", []
    if options.domains:
        where = f"WHERE domain IN ({', '.join('?' for _ in options.domains)})"
        params = list(options.domains)
    rows = con.execute(f"SELECT prompt_id, prompt_hash, problem, messages FROM prompts {where} "
                       f"ORDER BY ingest_order", params).fetchall()
    if options.limit is not None:
        rows = rows[:options.limit]
    index, shards = options.shard
    unique: dict[str, tuple] = {}
    for row in rows[index::shards]:
        unique.setdefault(row[1], row)  # the same chat from two sources is generated once
    have = runner.store.existing_keys(runner.spec.name, runner.spec.revision, runner.sampling.hash, list(unique))
    requests = [Request(pid, problem, phash, tuple(json.loads(messages)), i,
                        derive_seed(runner.sampling.seed, phash, i))
                for pid, phash, problem, messages in unique.values()
                for i in range(options.samples) if (phash, i) not in have]
    print(f"[curation] generate: {len(unique)} prompts x {options.samples} samples; "
          f"{len(unique) * options.samples - len(requests)} already stored, {len(requests)} to generate",
          file=sys.stderr)
    return requests


def _flush(runner: Runner, buffer: list) -> None:
    if buffer:
        runner.store.write([runner.sample_row("curation", c, "curation") for c in buffer], [], tag="curation")
