"""Stage 1, ingest: prompt sets (Hub datasets, JSONL, JSON, CSV or Parquet) become rows of `prompts`.

    python -m curation ingest problems.jsonl --domain math --name my-math
    python -m curation ingest hub:AI-MO/NuminaMath-1.5@main --split train --domain math --limit 50000

Each prompt gets a domain, a reference where one exists (an answer, a gold letter with its
options, code tests) and the verifier that will check its samples, its source, and the chat that
is sent to the model (built the way the evaluation builds it, so the same instruction is used).
Re-ingesting a source replaces its rows (prompt ids are `name:record id`), so the stage is
idempotent. A record that cannot be used stops the stage with its file, record number and the
fix, before anything is written; `--skip-bad` drops such records instead and counts them.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from evals.benchmarks.base import R1_INSTRUCTION, Problem
from evals.errors import DataError
from evals.records import BadLine, scan_records
from evals.verifiers.choice import LETTERS, format_choice_prompt
from evals.verifiers.extract import find_boxes
from evals.verifiers.registry import rule_kinds

from .db import DOMAINS

PROBLEM_FIELDS = ("problem", "question", "prompt", "instruction", "input", "messages")
ANSWER_FIELDS = ("answer", "expected_answer", "final_answer", "gold", "reference")
CHOICE_FIELDS = ("choices", "options")
TESTS_FIELDS = ("tests", "test_cases")
ID_FIELDS = ("prompt_id", "id", "problem_id", "unique_id", "uuid")
# Curation's own verifiers, not kinds of the registry: the LLM judge (curation.llm_judge) decides
# later (`python -m curation judge`), the verdict came with the sample, or no verdict (general chat).
CURATION_VERIFIERS = ("judge", "imported", "none")
# The kinds whose reference ingest builds from other fields than the answer (the fields it reads);
# every other kind's reference is the record's answer.
BUILT_REFERENCES = {"choice": CHOICE_FIELDS, "code": TESTS_FIELDS}
DEFAULT_VERIFIER = {"math": "math", "logic": "math", "stem": "math", "code": "code", "general": "none"}
CODE_INSTRUCTION = "Write a complete Python 3 program in a single ```python code block after your reasoning."
MAX_ERRORS_SHOWN = 20


class IngestError(ValueError):
    pass


def verifiers() -> tuple[str, ...]:
    """What a prompt may name: every rule-based kind of evals.verifiers.registry, then curation's own."""
    return (*rule_kinds(), *CURATION_VERIFIERS)


@dataclass
class IngestOptions:
    """Every field is a flag of `python -m curation ingest`."""
    source: str = ""
    name: str | None = None  # the source's name in prompt ids and reports (default: the file stem / dataset id)
    domain: str | None = None  # default: the record's `domain` field
    verifier: str | None = None  # default: from the record, else by domain and what the record has
    problem_field: str | None = None
    answer_field: str | None = None
    id_field: str | None = None
    split: str = "train"
    hub_config: str | None = None  # the Hub dataset's configuration
    limit: int | None = None
    skip_bad: bool = False


def load_records(options: IngestOptions) -> Iterator[tuple[int, dict[str, Any] | BadLine]]:
    """(record number, record) from a local file or `hub:dataset[@revision]`; a line that cannot be
    read (bad bytes, bad JSON, not an object) is a BadLine, refused or skipped like any bad record."""
    source = options.source
    if source.startswith("hub:"):
        yield from _hub_records(source[4:], options)
        return
    path = Path(source)
    if not path.exists():
        raise IngestError(f"{source}: no such file; give a .jsonl/.json/.csv/.parquet file or hub:ORG/NAME")
    try:
        for number, record in scan_records(path):
            if options.limit is not None and number > options.limit:
                return
            yield number, record
    except DataError as exc:  # the file as a whole cannot be read (e.g. UTF-16, broken parquet)
        raise IngestError(str(exc)) from exc


def _hub_records(spec: str, options: IngestOptions) -> Iterator[tuple[int, dict[str, Any]]]:
    dataset, _, revision = spec.partition("@")
    try:
        from datasets import load_dataset

        rows = load_dataset(dataset, options.hub_config, split=options.split, revision=revision or None, streaming=True)
    except Exception as exc:  # offline, gated or missing: all need the same advice
        raise IngestError(f"hub:{spec}: cannot load split {options.split!r} from the Hugging Face Hub ({exc}); "
                          "check the name and your access, or download it and ingest the file") from exc
    for number, record in enumerate(rows, 1):
        if options.limit is not None and number > options.limit:
            return
        yield number, dict(record)


def source_name(options: IngestOptions) -> str:
    if options.name:
        return options.name
    if options.source.startswith("hub:"):
        return options.source[4:].partition("@")[0]
    return Path(options.source).stem


def prompt_row(record: dict[str, Any], number: int, options: IngestOptions, name: str) -> dict[str, Any]:
    """One `prompts` row from one record; raises IngestError saying what is missing and how to fix it."""
    if not isinstance(record, dict):
        raise IngestError("is not an object; each record must be a JSON object with a problem field")
    domain = options.domain or record.get("domain")
    if domain not in DOMAINS:
        raise IngestError(f"domain {domain!r} is not one of {DOMAINS}; pass --domain or add a `domain` field")
    problem, chat = _problem(record, options.problem_field)
    verifier, reference, verify_opts, text = _reference(record, domain, problem, options)
    messages = chat or [{"role": "user", "content": _user_prompt(text, verifier, domain)}]
    rid = _field(record, (options.id_field,) if options.id_field else ID_FIELDS)
    prompt_id = _text(record["prompt_id"]) if record.get("prompt_id") else f"{name}:{_text(rid) if rid is not None else number}"
    problem_obj = Problem(prompt_id, text, tuple(messages), reference)
    return {"prompt_id": prompt_id, "prompt_hash": problem_obj.prompt_hash, "domain": domain,
            "source": _text(record.get("source") or name), "source_ref": f"{options.source}#{number}",
            "problem": text, "messages": json.dumps(messages, ensure_ascii=False), "verifier": verifier,
            "reference": None if reference is None else json.dumps(reference, ensure_ascii=False),
            "verify_opts": json.dumps(verify_opts), "language": None}


def _text(value: Any) -> str:
    """A field's value as text: strings as they are, lists and objects as JSON (queryable with DuckDB's
    JSON functions), never a Python repr like "{'a': 1}"."""
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _field(record: dict[str, Any], names: tuple[str | None, ...]) -> Any:
    for name in names:
        if name and record.get(name) not in (None, ""):
            return record[name]
    return None


def _problem(record: dict[str, Any], field: str | None) -> tuple[str, list[dict[str, str]] | None]:
    value = _field(record, (field,) if field else PROBLEM_FIELDS)
    if value is None:
        raise IngestError(f"has no problem text (looked for {field or ', '.join(PROBLEM_FIELDS)}); "
                          "pass --problem-field NAME")
    if isinstance(value, list):  # a chat: keep it (minus any assistant reply); its last user turn is the problem
        chat = [{"role": str(m["role"]), "content": _text(m["content"])} for m in value if m.get("role") != "assistant"]
        users = [m["content"] for m in chat if m["role"] == "user"]
        if not users:
            raise IngestError("its chat has no user turn")
        return users[-1], chat
    if not _text(value).strip():
        raise IngestError("has an empty problem text")
    return _text(value).strip(), None


def _reference(record: dict[str, Any], domain: str, problem: str,
               options: IngestOptions) -> tuple[str, Any, dict[str, Any], str]:
    """(verifier, reference, verifier options, problem text as shown) for one record."""
    verifier = options.verifier or record.get("verifier")
    if "reference" in record and record.get("verifier"):  # our own format (e.g. the synthetic corpus)
        ref = record["reference"]
        opts = record.get("verify_opts") or {}
        return (verifier, json.loads(ref) if isinstance(ref, str) else ref,
                json.loads(opts) if isinstance(opts, str) else opts, problem)
    choices = _field(record, CHOICE_FIELDS)
    tests = _field(record, TESTS_FIELDS)
    answer = _field(record, (options.answer_field,) if options.answer_field else ANSWER_FIELDS)
    if answer is None and isinstance(record.get("solution"), str):
        boxes = find_boxes(record["solution"])
        answer = boxes[-1][0] if boxes else None
    if choices is not None and (verifier or "choice") == "choice":
        return ("choice",) + _choice(choices, answer, problem)
    if tests is not None and (verifier or "code") == "code":
        return "code", _code_reference(tests, record, problem), {"language": "python"}, problem
    verifier = verifier or DEFAULT_VERIFIER[domain]
    if verifier in BUILT_REFERENCES:
        raise IngestError(f"the {verifier} verifier needs {'tests' if verifier == 'code' else 'choices'}; "
                          f"add a {BUILT_REFERENCES[verifier][0]} field")
    if verifier not in verifiers():
        raise IngestError(f"verifier {verifier!r} is not one of {verifiers()}")
    if verifier not in ("imported", "none") and answer is None:
        raise IngestError(f"has no reference answer for the {verifier} verifier (looked for "
                          f"{options.answer_field or ', '.join(ANSWER_FIELDS)}, or a \\boxed{{}} in `solution`); "
                          "pass --answer-field NAME, or --verifier none to keep its samples unverified")
    if verifier not in ("imported", "none") and isinstance(answer, (dict, list)):
        raise IngestError(f"has a {type(answer).__name__} as its answer ({_text(answer)[:80]}); the {verifier} verifier "
                          "needs one answer (text or a number): pass --answer-field NAME for the field holding it")
    return verifier, (None if verifier == "none" else _text(answer)), {}, problem


def _choice(choices: Any, answer: Any, problem: str) -> tuple[str, dict[str, Any], str]:
    if not isinstance(choices, list) or not 2 <= len(choices) <= len(LETTERS):
        raise IngestError(f"choices must be a list of 2 to {len(LETTERS)} options")
    options = [_text(c) for c in choices]
    if isinstance(answer, int) and 0 <= answer < len(options):
        letter = LETTERS[answer]
    elif isinstance(answer, str) and answer.strip().upper() in LETTERS[:len(options)]:
        letter = answer.strip().upper()
    elif isinstance(answer, str) and answer in options:
        letter = LETTERS[options.index(answer)]
    else:
        raise IngestError(f"answer {answer!r} is neither a letter, an index nor one of the choices")
    return letter, {"n_options": len(options)}, format_choice_prompt(problem, options)


def _code_reference(tests: Any, record: dict[str, Any], problem: str) -> dict[str, Any]:
    if isinstance(tests, str):
        tests = json.loads(tests)
    if not isinstance(tests, list) or not tests:
        raise IngestError("tests must be a non-empty list of {input, output}")
    reference = {"id": str(_field(record, ID_FIELDS) or "problem"), "statement": problem, "tests": tests}
    for key in ("kind", "func_name", "time_limit_s", "memory_mb", "checker"):
        if record.get(key) is not None:
            reference[key] = record[key]
    from evals.judge.problems import problem_from_dict

    problem_from_dict(reference, "tests")  # refuse malformed tests now, not after generating for them
    return reference


_HAS_INSTRUCTION = re.compile(r"\\boxed|```")


def _user_prompt(text: str, verifier: str, domain: str) -> str:
    """The R1 evaluation's zero-shot prompt: the problem, then the instruction on its own line."""
    if _HAS_INSTRUCTION.search(text) or verifier == "choice":
        return text  # the record (or format_choice_prompt) already says how to answer
    if verifier == "code" or domain == "code":
        return f"{text}\n{CODE_INSTRUCTION}"
    if domain == "general":
        return text
    return f"{text}\n{R1_INSTRUCTION}"


def ingest_rows(options: IngestOptions) -> tuple[list[dict[str, Any]], list[str]]:
    """All prompt rows of a source, and the errors (file, record, what to fix) of the records refused.
    Unless `skip_bad`, any refused record raises IngestError listing them, and no row is returned.
    A record whose prompt id an earlier record has is refused too (naming both); skipped, the first stays."""
    name = source_name(options)
    rows, errors = [], []
    first_of: dict[str, int] = {}  # prompt id -> the record that gave it
    for number, record in load_records(options):
        if isinstance(record, BadLine):
            errors.append(str(record))
            continue
        try:
            row = prompt_row(record, number, options, name)
        except (IngestError, ValueError, KeyError, TypeError) as exc:
            errors.append(f"{options.source}: record {number} {exc}")
            continue
        pid = row["prompt_id"]
        if pid in first_of:
            errors.append(f"{options.source}:{number}: prompt id {pid!r} is also that of {options.source}:"
                          f"{first_of[pid]}; give each record its own id (or name the id field with --id-field)")
            continue
        first_of[pid] = number
        rows.append(row)
    if errors and not options.skip_bad:
        shown = "\n  ".join(errors[:MAX_ERRORS_SHOWN])
        more = f"\n  ... and {len(errors) - MAX_ERRORS_SHOWN} more" if len(errors) > MAX_ERRORS_SHOWN else ""
        raise IngestError(f"{len(errors)} records cannot be used; nothing was read from {options.source}:\n  "
                          f"{shown}{more}\nFix them, or pass --skip-bad (skip_bad) to drop them.")
    return rows, errors


def to_table(rows: list[dict[str, Any]], first_order: int) -> pa.Table:
    from evals.verifiers.language import detect_language

    for i, row in enumerate(rows):
        row["language"] = detect_language(row["problem"])
        row["ingest_order"] = first_order + i
    return pa.Table.from_pylist(rows)
