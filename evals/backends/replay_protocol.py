"""What a replay file says about how its completions were sampled, and what its token counts count.

A replayed run must record the protocol that really produced the file, never our defaults: the
TLDR/SkyThought files were sampled at T 0.7 with 8,192 tokens, not the R1 protocol's T 0.6 and 32,768.
Read from the file where it says so, else `None` (unknown):
- SkyThought result JSON: `responses` keyed by temperature; the newer layout's `summary.json` beside
  `results.json` holds the sampling parameters (temperature, top_p, max_tokens);
- lm-eval `samples_*.jsonl`: each record's `arguments` carry the generation kwargs (temperature,
  top_p, max_gen_toks);
- flat records: `temperature`, `top_p`, `max_tokens` / `max_new_tokens` fields, or a `sampling` object.

Token counts: SkyThought's legacy `token_usages` counted whitespace-separated words (TLDR's files) or
characters (one vLLM path used `len(text)`), not tokens. A count that equals the word or character
count of its text on every record is not a token count: it is dropped (so no length, truncation or
token figure is built on it) and the manifest says what it was.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import DataError

FIELDS = ("temperature", "top_p", "max_tokens")
_ALIASES = {"temperature": ("temperature",), "top_p": ("top_p",),
            "max_tokens": ("max_tokens", "max_new_tokens", "max_gen_toks")}


def _from_mapping(mapping: Any) -> dict[str, Any]:
    """The sampling fields a dict states (one level, as generation kwargs are written)."""
    if not isinstance(mapping, dict):
        return {}
    found = {}
    for name, aliases in _ALIASES.items():
        value = next((mapping[a] for a in aliases if mapping.get(a) is not None), None)
        if value is not None:
            found[name] = value
    return found


def _lm_eval_kwargs(arguments: Any) -> dict[str, Any]:
    """lm-eval's `arguments`: {"gen_args_0": {"arg_0": prompt, "arg_1": kwargs}} (0.4.x) or [[prompt, kwargs]]."""
    items = arguments.values() if isinstance(arguments, dict) else arguments if isinstance(arguments, list) else []
    for item in items:
        parts = item.values() if isinstance(item, dict) else item if isinstance(item, list) else []
        for part in parts:
            if isinstance(part, dict):
                return _from_mapping(part)
    return {}


def record_protocol(row: dict[str, Any]) -> dict[str, Any]:
    """The sampling fields one record states."""
    found: dict[str, Any] = {}
    if isinstance(row.get("responses"), dict):  # SkyThought: responses keyed by temperature
        temps = list(row["responses"])
        if len(temps) == 1:
            found["temperature"] = temps[0]
    if "arguments" in row:
        found.update(_lm_eval_kwargs(row["arguments"]))
    found.update(_from_mapping(row.get("sampling")))
    found.update(_from_mapping(row))
    return found


def summary_protocol(path: Path) -> dict[str, Any]:
    """SkyThought's newer layout: `summary.json` beside `results.json`, its sampling parameters anywhere inside."""
    summary = path.with_name("summary.json")
    if path.name == "summary.json" or not summary.exists():
        return {}
    try:
        data = json.loads(summary.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    stack, found = [data], {}
    while stack:  # the first value of each field, breadth first (sampling_params sits under config)
        node = stack.pop(0)
        if isinstance(node, dict):
            for key, value in _from_mapping(node).items():
                found.setdefault(key, value)
            stack.extend(v for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, dict | list))
    return found


class FileProtocol:
    """Collects what the records of one replay set say; refuses a set whose records disagree."""

    def __init__(self) -> None:
        self.values: dict[str, float | int] = {}
        self.where: dict[str, str] = {}

    def add(self, stated: dict[str, Any], where: str) -> None:
        for name, raw in stated.items():
            try:
                value = int(raw) if name == "max_tokens" else float(raw)
            except (TypeError, ValueError):
                raise DataError(f"{where}: {name} {raw!r} is not a number; fix the record") from None
            if name in self.values and self.values[name] != value:
                raise DataError(f"{where}: {name} {value} but {self.where[name]} says {self.values[name]}: one replay "
                                "run holds one sampling protocol; replay the files as separate runs (another --model)")
            self.values.setdefault(name, value)
            self.where.setdefault(name, where)

    def as_dict(self) -> dict[str, Any]:
        return {name: self.values.get(name) for name in FIELDS}


def token_count_kind(pairs: Iterable[tuple[str, int]]) -> str:
    """What the file's completion_tokens count: "tokens", "words" or "characters" (checked on every record
    that has one, so a coincidence on a short text cannot decide), or "absent"."""
    pairs = [(text, int(count)) for text, count in pairs]
    if not pairs:
        return "absent"
    if len(pairs) >= 3 and all(count == len(text.split()) for text, count in pairs):
        return "words"
    if len(pairs) >= 3 and all(count == len(text) for text, count in pairs):
        return "characters"
    return "tokens"
