"""Our numbers: what evals computed for each run in a store, and the manifest that reproduces it.

Reads `<db>/results/*.json` (the metrics `python -m evals run` wrote, computed by evals.results over
the store) and `<db>/runs/*.json` (the run's resolved config and manifest) through evals.store; with
`recompute=True` the metrics are recomputed from the stored samples and verdicts by evals' own
`python -m evals show` code (evals.results.compute_stored_runs), which also merges shards copied together.
Nothing here estimates anything: the numbers are evals.metrics' Estimates.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evals.config import R1_PROTOCOL
from evals.errors import DataError
from evals.metrics import Estimate

__all__ = ["NOT_RECORDED", "Run", "StoreError", "check_store", "estimates", "load_runs", "manifest_fields",
           "other_protocol", "protocol_notes", "protocol_text", "sampling_of"]

NOT_RECORDED = "not recorded"
R1_SAMPLING = {key: getattr(R1_PROTOCOL, key) for key in ("temperature", "top_p", "max_tokens")}


class StoreError(DataError):
    """The --db path is not an evals store; the message names the path and the fix."""

    exit_code = 2


@dataclass
class Run:
    """One (model + revision, benchmark, sampling) run: its metrics and, when recorded, its manifest."""

    result: dict[str, Any]
    manifest: dict[str, Any] = field(default_factory=dict)
    note: str = ""  # e.g. that this is one shard's results
    recomputed: bool = False  # metrics recomputed over every stored sample (shards merged)

    @property
    def run_id(self) -> str:
        return str(self.result.get("run_id") or self.manifest.get("run_id") or "?")

    @property
    def model(self) -> str:
        return str(self.result.get("model") or (self.manifest.get("model") or {}).get("name") or "?")

    @property
    def benchmark(self) -> str:
        return str(self.result.get("benchmark") or self.manifest.get("benchmark") or "?")

    @property
    def k(self) -> int:
        return int(self.result.get("k") or self.manifest.get("k") or 0)


def check_store(db: str | Path) -> Path:
    """The store's root, or a StoreError naming the path and the fix. Creates nothing."""
    root = Path(db)
    fix = ("pass --db with the directory given to `python -m evals run --db` (default runs/store), "
           f"or make one: `python -m evals run --model smollm2-135m-instruct --limit 10 --db {root}`")
    if not root.exists():
        raise StoreError(f"{root}: no such directory; {fix}")
    if not root.is_dir() or not ((root / "runs").is_dir() or (root / "results").is_dir()):
        raise StoreError(f"{root}: not an evals store (no runs/ or results/ directory inside); {fix}")
    return root


def load_runs(db: str | Path, recompute: bool = False) -> list[Run]:
    """Every run of the store, ordered by benchmark then model; results joined to manifests by run id."""
    from evals.store import Store

    store = Store(check_store(db))
    manifests = {m.get("run_id"): m for m in store.runs()}
    if recompute:
        results = _recomputed(store)
    else:
        results = store.results()
    # shards write <run_id>__shardIofN.json, all with the same run_id: each is one shard's numbers
    count = Counter(str(r.get("run_id")) for r in results)
    runs = [Run(r, manifests.get(r.get("run_id"), {}), _shard_note(r, count[str(r.get("run_id"))]), recompute)
            for r in results]
    return sorted(runs, key=lambda r: (r.benchmark, r.model, r.run_id))


def _shard_note(result: dict[str, Any], same_run: int) -> str:
    shard = result.get("shard")  # newer results name their shard; older ones only by file name
    if shard:
        return f"shard {shard[0]} of {shard[1]} only (--recompute merges the shards in the store)"
    return f"one of {same_run} shard results (--recompute merges them)" if same_run > 1 else ""


def _recomputed(store: Any) -> list[dict[str, Any]]:
    from evals.results import compute_stored_runs
    from evals.verifiers import VerifierPool

    with VerifierPool() as pool:
        return compute_stored_runs(store, pool)  # each result names its verifier version


def estimates(run: Run) -> list[tuple[str, Estimate]]:
    """(metric, Estimate) as evals computed them: pass@1, cons@k and, for k > 1, pass@k; a Codeforces
    run's rating and percentile when it has one."""
    r, k = run.result, run.k
    wanted = [("pass@1", r.get("pass@1")), (f"cons@{k}", r.get(f"cons@{k}"))]
    if k > 1:
        wanted.append((f"pass@{k}", (r.get("pass@k") or {}).get(str(k))))
    out = [(name, Estimate(float(e["value"]), float(e["low"]), float(e["high"]), int(e["n"])))
           for name, e in wanted if e]
    return out + rating_estimates(r.get("rating") or {})


def rating_estimates(block: dict[str, Any]) -> list[tuple[str, Estimate]]:
    """A Codeforces run's rating and percentile (evals.contest_rating), beside the paper's columns.
    The rating is kept in rating points (compare.OWN_UNITS), the percentile as a fraction like every rate;
    the rating's interval is its spread over samples, the percentile has none."""
    if "value" not in block:
        return []
    low, high = block["interval"]
    out = [("rating", Estimate(float(block["value"]), float(low), float(high), int(block["contests"])))]
    if block.get("percentile") is not None:
        out.append(("percentile", Estimate(block["percentile"] / 100, float("nan"), float("nan"), int(block["contests"]))))
    return out


def manifest_fields(run: Run) -> dict[str, str]:
    """What makes the numbers reproducible, as display strings ("not recorded" where evals kept nothing)."""
    m, r = run.manifest, run.result
    spec, config = m.get("model") or {}, m.get("config") or {}
    sampling = r.get("sampling") or m.get("sampling") or {}
    info = m.get("backend_info") or {}
    return {
        "run": run.run_id,
        "model": run.model,
        "hub id": _text(spec.get("hub_id")),
        "revision": _text(r.get("revision") or spec.get("revision")),
        "backend": _text(r.get("backend") or m.get("backend")),
        "backend version": _backend_version(info),
        "dtype": _text(info.get("dtype") or (info.get("server") or {}).get("dtype")
                       or (None if config.get("dtype") in (None, "auto") else config["dtype"])),
        "temperature": _text(sampling.get("temperature")),
        "top_p": _text(sampling.get("top_p")),
        "max_tokens": _text(sampling.get("max_tokens")),
        "seed": _text(sampling.get("seed")),
        "k": str(run.k),
        "problems": f"{r.get('problems_scored', '?')}/{r.get('problems', '?')}",
        "data sha256": _text(m.get("data_sha256")),
        "problems sha256": _text(m.get("problems_sha256")),
        "data version": _text(r.get("data_version") or m.get("data_version")),
        "data source": _text(m.get("benchmark_source")),
        "prompt version": _text(m.get("prompt_version")),
        "verifier": _text(m.get("verifier")),
        "verifier version": _text(r.get("verifier_version") or m.get("verifier_version")),
        "r1-evals version": _text((m.get("versions") or {}).get("r1-evals")),
        "generated": _date(m.get("created_at")),
        "invocations": _invocations(m),
    }


def sampling_of(run: Run) -> dict[str, Any]:
    return run.result.get("sampling") or run.manifest.get("sampling") or {}


def protocol_text(sampling: dict[str, Any]) -> str:
    """Temperature, top-p and token budget as recorded ("?" where the run's source did not say)."""
    def show(key: str) -> str:
        value = sampling.get(key)
        return "?" if value is None else f"{value:,}" if key == "max_tokens" else f"{value:g}"

    return f"T {show('temperature')}, top-p {show('top_p')}, {show('max_tokens')} tokens"


def other_protocol(run: Run) -> bool:
    """The run was sampled (or may have been: unknown) under another protocol than the paper's."""
    sampling = sampling_of(run)
    return any(sampling.get(key) is None or sampling[key] != want for key, want in R1_SAMPLING.items())


R1_TEXT = protocol_text(R1_SAMPLING)


def protocol_notes(run: Run, default_k: int | None) -> str:
    """The run's sampling protocol, then how it departs from the paper's (so a gap can be read fairly)."""
    m, r = run.manifest, run.result
    config = m.get("config") or {}
    sampling = sampling_of(run)
    if not sampling:
        notes = ["sampling not recorded"]
    elif other_protocol(run):
        unknown = [key for key in R1_SAMPLING if sampling.get(key) is None]
        notes = [protocol_text(sampling) + f" (not the paper's {R1_TEXT}"
                 + (f"; {', '.join(unknown)} unknown" if unknown else "") + ")"]
    else:
        notes = [protocol_text(sampling)]
    if config.get("limit") is not None:
        notes.append(f"first {config['limit']} problems")
    shard = config.get("shard") or [0, 1]
    if shard[1] != 1 and not run.recomputed and not run.note:  # recomputed metrics cover every shard in the store
        notes.append(f"shard {shard[0]}/{shard[1]}")
    scored, total = r.get("problems_scored"), r.get("problems")
    if scored is not None and total is not None and scored < total:
        notes.append(f"{scored}/{total} problems scored")
    if default_k and run.k < default_k:
        notes.append(f"k={run.k} (R1: {default_k})")
    if run.note:
        notes.append(run.note)
    return "; ".join(notes)


def _invocations(manifest: dict[str, Any]) -> str:
    """How many invocations generated the run's samples, and what differed between them."""
    history = manifest.get("invocations")
    if not history:
        return NOT_RECORDED
    if len(history) == 1:
        return "1"
    differing = [name for name, key in (("host", "host"), ("backend", "backend_info"), ("libraries", "versions"),
                                        ("data", "problems_sha256"), ("shard", "shard"))
                 if len({repr(h.get(key)) for h in history}) > 1]
    return f"{len(history)}" + (f" (differing: {', '.join(differing)})" if differing else " (same setup)")


def _backend_version(info: dict[str, Any]) -> str:
    engine = info.get("engine")
    if info.get("version"):
        return f"{engine} {info['version']}"
    if engine == "openai-compatible":  # what the server said of itself (evals.backends.openai_compat.server_facts)
        server = info.get("server") or {}
        name = server.get("engine") or f"server {info.get('base_url', '?')}"
        return f"{name} {server.get('version') or f'version {NOT_RECORDED}'} (openai client {info.get('client', '?')})"
    if engine == "replay":
        return f"replayed files; generator {NOT_RECORDED}"
    return f"{engine}; version {NOT_RECORDED}" if engine else NOT_RECORDED


def _text(value: Any) -> str:
    return NOT_RECORDED if value is None or value == "" else str(value)


def _date(timestamp: Any) -> str:
    if not isinstance(timestamp, (int, float)):
        return NOT_RECORDED
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
