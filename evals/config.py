"""The R1 protocol's defaults, stated once, and the run configuration built on them.

    R1_PROTOCOL.temperature                  # 0.6: read by Sampling, RunConfig, models, leaderboards, training
    RunConfig(model=..., benchmarks=[...])   # every field is a `python -m evals run` flag (config_flags)
    GenerateOptions(GenerationConfig)        # curation's generate shares the generation fields

Light on purpose (no evals import beyond the flag helpers): the command lines build their parsers
from these dataclasses, and `--help` must stay instant.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .config_flags import option


@dataclass(frozen=True)
class Protocol:
    """DeepSeek-R1's evaluation protocol (paper, evaluation setup); k is each benchmark's `default_samples`."""
    temperature: float = 0.6
    top_p: float = 0.95
    max_tokens: int = 32768  # new tokens per sample
    instruction: str = "Please reason step by step, and put your final answer within \\boxed{}."  # zero-shot


R1_PROTOCOL = Protocol()


@dataclass
class GenerationConfig:
    """Model, engine, sampling and sharding: the fields every generation job has (evals run, curation generate)."""
    model: str = option("smollm2-135m-instruct",
                        help="registry name (see `python -m evals models`), Hub id, or local path")
    revision: str | None = option(None, help="Hub revision of the model (default: main)")
    samples: int | None = option(None, flags=("--samples", "-k"), help="samples per problem (default: per benchmark)")
    limit: int | None = option(None, help="only the first N problems of each benchmark")
    backend: str | None = option(None, metavar="{vllm,openai,hf,replay}",
                                 help="default: openai with --base-url, replay with --replay, hf for small models "
                                      "on CPU, else vllm; or module:Class for your own engine")
    base_url: str | None = option(None, help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1")
    served_model: str | None = option(None, help="model name the server answers to (default: the Hub id)")
    max_tokens: int | None = option(None, help=f"max new tokens (default: {R1_PROTOCOL.max_tokens}, or the model's)")
    temperature: float = option(R1_PROTOCOL.temperature, help="sampling temperature")
    top_p: float = option(R1_PROTOCOL.top_p, help="nucleus sampling: keep the tokens of this much probability mass")
    seed: int = option(0, help="base seed; each sample's seed derives from it")
    shard: tuple[int, int] = option((0, 1), help="i/N: evaluate every N-th problem from i (default: 0/1, all)")
    batch_size: int = option(8, help="hf backend batch size")
    concurrency: int = option(32, help="openai backend requests in flight")
    dtype: str = option("auto", help="auto, float32, bfloat16, float16 (hf, vllm; with openai: recorded as the "
                                     "server's dtype)")
    engine_args: dict[str, Any] = option(default_factory=dict, metavar="KEY=VALUE",
                                         help="passed to vllm.LLM, e.g. tensor_parallel_size=2 (repeatable)")


@dataclass
class RunConfig(GenerationConfig):
    """Every field is a `python -m evals run` flag; the resolved config is written beside the results."""
    benchmarks: list[str] | None = option(None, flags=("--benchmark",), metavar="BENCHMARK",
                                          help="comma-separated, e.g. aime24,math500 (default: the model's)")
    db: str = option("runs/store", help="store directory")
    replay: list[str] = option(default_factory=list, repeat=True, metavar="FILE",
                               help="completions to score instead of generating (JSONL, JSON, CSV, parquet; "
                                    "repeatable)")
    data: dict[str, str] = option(default_factory=dict, metavar="BENCHMARK=PATH",
                                  help="local data file for a benchmark, e.g. gpqa_diamond=gpqa_diamond.csv")
    data_revision: dict[str, str] = option(default_factory=dict, metavar="BENCHMARK=REVISION",
                                           help="Hub revision (commit, tag or branch) for a Hub-loaded benchmark "
                                                "instead of its pinned commit, e.g. codeforces=main (repeatable; "
                                                "or R1_EVALS_REVISION_<BENCHMARK>); the resolved commit is recorded")
    standings: str | None = option(None, metavar="PATH",
                                   help="Codeforces: contest standings (a directory of one JSON file per contest, "
                                        "format in evals/judge/rating.py) to rate the run CodeElo-style")
    rating_rule: str = option("per_sample", choices=["per_sample", "first_pass"],
                              help="Codeforces rating: per_sample (each sample a virtual participation, ratings "
                                   "averaged) or first_pass (CodeElo: solved if any sample passes)")
    all_ratings: str | None = option(None, metavar="FILE",
                                     help="Codeforces rating: JSON list of every rated user's rating, for the "
                                          "percentile (default: all_ratings.json in --standings)")
    verify_workers: int | None = option(None, help="verifier processes (default: all cores)")
    verify_timeout: float = option(5.0, help="hard limit per verification (s)")
    ray: str | None = option(None, metavar="ADDRESS", const="auto",
                             help="run generation and verification on a Ray cluster: HOST:PORT of its head, or "
                                  "auto (bare --ray) for this machine's cluster or a new local one; needs "
                                  "`pip install 'r1-evals[ray]'`")


def run_config(options: GenerationConfig, **run_fields: Any) -> RunConfig:
    """The RunConfig of another generation job (curation's), its generation fields carried over."""
    shared = {name: getattr(options, name) for name in GenerationConfig.__dataclass_fields__}
    return RunConfig(**shared, **run_fields)
