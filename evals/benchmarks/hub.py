"""Hub data at a pinned commit, and where each benchmark's problems actually came from.

A Hub dataset's `main` moves: a number measured on it today cannot be reproduced next year. The
benchmarks that load from the Hub (livecodebench, codeforces, gpqa_diamond) therefore ask for a
commit hash, PINNED below, unless the user names another revision:

    --data-revision codeforces=REV          # `python -m evals run`, repeatable
    R1_EVALS_REVISION_CODEFORCES=REV        # environment (benchmark name upper-cased, - and . as _)

(flag, then environment, then the benchmark's own pin; `main` unpins deliberately). Whatever was
asked, the commit the Hub resolved it to is what the run manifest records (`data_source`), beside
the data's sha256; a local file (`--data NAME=PATH`) is recorded by its absolute path instead.

Where each pin comes from (the Hub itself is unreachable from this project's CI, so each hash was
taken from other projects that load the same files at that commit; see README "Pinned data"):
- livecodebench/code_generation_lite 0fe84c39...: its test.jsonl .. test6.jsonl, the files read here.
- open-r1/codeforces fbe3f6e9...: main as of its 2025-05-19 update (data/ and verifiable/ parquet).
- Idavidrein/gpqa 633f5ee8...: gpqa_diamond.csv, 198 rows.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

PINNED: dict[str, str] = {
    "livecodebench/code_generation_lite": "0fe84c3912ea0c4d4a78037083943e8f0c4dd505",
    "open-r1/codeforces": "fbe3f6e903ee854eec2e69e9d96d0306cde59baf",
    "Idavidrein/gpqa": "633f5ee89ab8ad4522a9f850766b73f62147ffdd",
}
ENV_PREFIX = "R1_EVALS_REVISION_"

_overrides: ContextVar[dict[str, str] | None] = ContextVar("data_revisions", default=None)
_loaded: dict[str, dict[str, Any]] = {}  # benchmark name -> where its last Hub load came from


def env_var(name: str) -> str:
    """R1_EVALS_REVISION_GPQA_DIAMOND for gpqa_diamond."""
    return ENV_PREFIX + re.sub(r"[^A-Za-z0-9]", "_", name).upper()


def revision(name: str, repo: str, default: str | None = None) -> tuple[str, str]:
    """(revision to ask the Hub for, who chose it) for benchmark `name` reading `repo`."""
    asked = (_overrides.get() or {}).get(name)
    if asked:
        return asked, "--data-revision"
    if os.environ.get(env_var(name)):
        return os.environ[env_var(name)], env_var(name)
    if default:
        return default, "benchmark definition"
    if repo in PINNED:
        return PINNED[repo], "pinned"
    return "main", "unpinned"


def describe(name: str, repo: str, default: str | None = None) -> str:
    """The pin shown in a benchmark's `source` (its env var included, so `--help` users find it)."""
    rev = default or PINNED.get(repo)
    return f"revision {rev[:12] if rev else 'main, unpinned'} (override: --data-revision {name}=REV or {env_var(name)})"


@contextmanager
def revisions(overrides: dict[str, str]) -> Iterator[None]:
    """Loads inside this block ask for these revisions (benchmark name -> revision)."""
    token = _overrides.set(dict(overrides))
    try:
        yield
    finally:
        _overrides.reset(token)


def record(name: str, **source: Any) -> None:
    """Called by a loader after a Hub load: repo, files/config/split, asked and resolved revisions."""
    _loaded[name] = {"kind": "hub", **source}


def load_with_source(bench: Any, data_files: dict[str, str],
                     overrides: dict[str, str] | None = None) -> tuple[list[Any], dict[str, Any]]:
    """The benchmark's problems, and where they came from: the Hub commit, a local file or the file
    shipped with the project."""
    _loaded.pop(bench.name, None)
    with revisions(overrides or {}):
        problems = bench.load(data_files)
    source = _loaded.pop(bench.name, None)
    if source is None:
        if data_files.get(bench.name):
            source = {"kind": "file", "path": str(Path(data_files[bench.name]).resolve())}
        elif bench.data_file:
            source = {"kind": "shipped", "file": bench.data_file}
        else:
            source = {"kind": "unrecorded", "why": f"{bench.name}'s loader records no Hub source"}
    return problems, source


def snapshot_commit(path: str) -> str:
    """The commit of a huggingface_hub snapshot folder (…/snapshots/<commit>)."""
    return Path(path).name


def load_split(repo: str, config: str | None, split: str, rev: str) -> tuple[Any, str]:
    """A split of a Hub dataset at `rev`, and the commit the Hub resolved `rev` to (the builder's hash:
    `datasets` fixes the commit once, then reads every file at it)."""
    from datasets import load_dataset_builder

    builder = load_dataset_builder(repo, config, revision=rev)
    builder.download_and_prepare()
    return builder.as_dataset(split=split), builder.hash
