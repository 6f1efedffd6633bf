"""Score completions that already exist: our own files or other tools' sample files.

Reads JSONL, JSON, CSV or parquet. Each record names its problem by id or by text and carries one
completion (or several, in lm-eval's `resps` and SkyThought's `responses`). Formats understood:
- flat records: id (`problem_id`/`unique_id`/`id`) or text (`problem`/`question`/`prompt`), completion
  (`completion`/`response`/`output`/`model_completion`/`content`/`text`), optional `sample_index`,
  `reasoning`, `finish_reason`, `completion_tokens`;
- lm-eval `samples_*.jsonl`: `doc` (the problem) and `resps` (a list of lists of strings);
- SkyThought result JSON: an object keyed by problem, each with `responses: {temperature: [{content}]}`.
The file's sampling protocol (temperature, top-p, token budget) and what its token counts count are
read by `replay_protocol`; a completion whose token count reaches the budget is `finish_reason`
"length" (truncated), unless the record says otherwise. Records match problems by id first, then by whitespace-normalised problem text with the usual
instruction sentences removed, then by letters and digits only, and last by the most similar such
key above a cutoff (other tools transcribe the same problem with other TeX); fuzzy pairings are
listed on stderr. Nothing is generated: an unmatched request yields nothing.
"""
from __future__ import annotations

import ast
import re
import sys
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from evals.records import read_records

from .base import Completion, Request, Sampling
from .replay_protocol import FileProtocol, record_protocol, summary_protocol, token_count_kind

ID_FIELDS = ("problem_id", "unique_id", "id")
TEXT_FIELDS = ("problem", "question", "problem_text", "prompt")
COMPLETION_FIELDS = ("completion", "response", "output", "model_completion", "content", "text", "generation")
_INSTRUCTIONS = re.compile(
    r"Please reason step by step, and put your final answer within \\boxed\{\}\.|"
    r"Return your final response within \\boxed\{\}\.|Please put your final answer within \\boxed\{\}\."
)


def normalize_problem(text: str) -> str:
    return " ".join(_INSTRUCTIONS.sub(" ", str(text)).split())


def loose_key(text: str) -> str:
    """Letters and digits only: other tools transcribe the same problem with other TeX (\\( vs $)."""
    return re.sub(r"[^0-9a-z]", "", normalize_problem(text).lower().replace("\\left", "").replace("\\right", ""))


FUZZY_CUTOFF = 0.85  # difflib ratio of loose keys; lower starts pairing different problems


def _first(row: dict[str, Any], fields: Sequence[str]) -> Any:
    return next((row[f] for f in fields if row.get(f) not in (None, "")), None)


def _completions(row: dict[str, Any]) -> list[dict[str, Any]]:
    """The completions one record carries, each as {text, reasoning, finish_reason, completion_tokens}."""
    if "resps" in row:  # lm-eval: resps[i] is the list of generations for request i
        return [{"text": t} for resp in row["resps"] for t in (resp if isinstance(resp, list) else [resp])]
    if isinstance(row.get("responses"), dict):  # SkyThought: {temperature: [{content, ...}]}
        usages = row.get("token_usages") or {}
        if isinstance(usages, str):
            usages = ast.literal_eval(usages)  # stored as a Python repr; literal_eval runs no code
        out = []
        for temp, responses in row["responses"].items():
            counts = usages.get(temp, []) if isinstance(usages, dict) else []
            for i, r in enumerate(responses):
                tokens = counts[i].get("completion_tokens") if i < len(counts) else None
                out.append({"text": r.get("content", ""), "completion_tokens": tokens})
        return out
    text = _first(row, COMPLETION_FIELDS)
    if text is None:
        return []
    return [{"text": str(text), "reasoning": row.get("reasoning"), "finish_reason": row.get("finish_reason"),
             "completion_tokens": row.get("completion_tokens"), "sample_index": row.get("sample_index")}]


def _cut_at_budget(tokens: Any, budget: int | None) -> str | None:
    """A completion as long as the token budget was cut there: "length" (the verifiers then say truncated)."""
    if tokens is None or not budget:
        return None
    return "length" if int(tokens) >= int(budget) else None


class ReplayBackend:
    name = "replay"

    def __init__(self, model: str, *, replay_files: Sequence[str] = (), **_: Any) -> None:
        if not replay_files:
            raise ValueError("the replay backend needs --replay FILE (JSONL, JSON, CSV or parquet of completions)")
        self.files = [Path(f) for f in replay_files]
        self.by_id: dict[str, list[dict]] = defaultdict(list)
        self.by_text: dict[str, list[dict]] = defaultdict(list)
        self.by_loose: dict[str, list[dict]] = defaultdict(list)
        self.fuzzy: dict[str, str] = {}  # problem id -> the replay text it was paired with
        self.file_protocol = FileProtocol()
        self.token_counts: dict[str, str] = {}  # file -> what its completion_tokens count
        for path in self.files:
            if not path.exists():
                raise FileNotFoundError(f"replay file {path} does not exist")
            self.file_protocol.add(summary_protocol(path), f"{path.with_name('summary.json')}")
            loaded: list[dict] = []
            for number, row in read_records(path):
                loaded.extend(self._index(path, number, row))
            self._check_token_counts(path, loaded)

    def _check_token_counts(self, path: Path, completions: list[dict]) -> None:
        """Drop counts that are words or characters, not tokens (SkyThought's legacy token_usages)."""
        counted = [c for c in completions if c.get("completion_tokens") is not None]
        kind = token_count_kind((c["text"], c["completion_tokens"]) for c in counted)
        self.token_counts[str(path)] = kind
        if kind in ("words", "characters"):
            print(f"[replay] {path}: completion_tokens count {kind}, not tokens (equal to the text's {kind} on "
                  f"all {len(counted)} records); dropped", file=sys.stderr)
            for c in counted:
                c["completion_tokens"] = None

    def protocol(self) -> dict[str, Any]:
        """What the files say they were sampled with: temperature, top_p, max_tokens (None: not stated)."""
        return self.file_protocol.as_dict()

    def _index(self, path: Path, number: int, row: Any) -> list[dict]:
        if not isinstance(row, dict):
            raise ValueError(f"{path}: record {number} is not an object")
        doc = row.get("doc") if isinstance(row.get("doc"), dict) else row
        self.file_protocol.add(record_protocol(row), f"{path}: record {number}")
        completions = _completions(row)
        if not completions:
            raise ValueError(f"{path}: record {number} has no completion (expected one of {COMPLETION_FIELDS})")
        pid, text = _first(doc, ID_FIELDS), _first(doc, TEXT_FIELDS)
        if pid is None and text is None:
            raise ValueError(f"{path}: record {number} names no problem (expected one of {ID_FIELDS + TEXT_FIELDS})")
        for c in completions:
            if pid is not None:
                self.by_id[str(pid)].append(c)
            if text is not None:
                self.by_text[normalize_problem(text)].append(c)
                self.by_loose[loose_key(text)].append(c)
        return completions

    def describe(self) -> dict[str, Any]:
        return {"engine": "replay", "files": [str(f) for f in self.files], "file_protocol": self.protocol(),
                "protocol_source": dict(self.file_protocol.where), "token_counts": self.token_counts}

    def _closest(self, request: Request) -> list[dict] | None:
        """The replay problem whose loose key is most similar, if similar enough (reported on stderr)."""
        import difflib

        key = loose_key(request.problem_text)
        best = difflib.get_close_matches(key, list(self.by_loose), n=1, cutoff=FUZZY_CUTOFF)
        if best:
            self.fuzzy[request.problem_id] = best[0]
            return self.by_loose[best[0]]
        return None

    def _find(self, request: Request) -> dict | None:
        pools = (self.by_id.get(request.problem_id), self.by_text.get(normalize_problem(request.problem_text)),
                 self.by_loose.get(loose_key(request.problem_text)))
        for pool in (*pools, None if any(pools) else self._closest(request)):
            if not pool:
                continue
            indexed = [c for c in pool if c.get("sample_index") is not None]
            if indexed:
                return next((c for c in indexed if int(c["sample_index"]) == request.sample_index), None)
            return pool[request.sample_index] if request.sample_index < len(pool) else None
        return None

    def generate(self, requests: Sequence[Request], sampling: Sampling) -> Iterator[Completion]:
        missing = 0
        for request in requests:
            found = self._find(request)
            if found is None:
                missing += 1
                continue
            tokens = found.get("completion_tokens")
            yield Completion(request, found["text"], found.get("reasoning"),
                             found.get("finish_reason") or _cut_at_budget(tokens, sampling.max_tokens), None, tokens, None)
        if self.fuzzy:
            print(f"[replay] {len(self.fuzzy)} problems matched by similar text: {sorted(self.fuzzy)}", file=sys.stderr)
        if missing:
            print(f"[replay] {missing} of {len(requests)} requested samples are not in the replay files",
                  file=sys.stderr)

    def close(self) -> None:
        pass
