"""Code problems: one ``CodeProblem`` shape for LiveCodeBench, Codeforces and our own JSON files.

Pure stdlib; nothing here runs model-written code. Usage::

    from evals.judge.problems import extract_code, from_codeforces, from_livecodebench, load_problem_file

    problem = from_livecodebench(row)          # a row of livecodebench/code_generation_lite
    problem = from_codeforces(row)             # a row of open-r1/codeforces
    problem = load_problem_file("two_sum.json")  # our own format, below
    code = extract_code(completion, "python")  # the last ```python block after </think>, or None

Problem file format (what ``python -m evals judge PROBLEM.json SOLUTION`` reads), one JSON object::

    {
      "id": "two-sum",                         # required, non-empty string
      "statement": "Given nums and target...", # optional, default ""
      "tests": [{"input": "[2,7]\\n9", "output": "[0,1]"}],  # required, at least one
      "kind": "functional",                    # "stdin" (default) or "functional"
      "func_name": "twoSum",                   # required when kind is "functional"
      "time_limit_s": 2.0,                     # per test CPU seconds, 0.1 to 60 (default 2.0)
      "memory_mb": 256,                        # per test, MB, 16 to 4096 (default 256)
      "checker": null,                         # null, a stock name ("wcmp"), or checker source
      "interactive": false,                    # default false
      "interactor": null,                      # interactive problems: the interactor's source (testlib C++ or Python)
                                               # (with a checker too, the checker judges the interactor's tout)
      "metadata": {}                           # free-form, default {}
    }

* ``stdin`` tests: ``input`` is fed on stdin, stdout is compared with ``output``
  (``evals.judge.compare.compare_stdout``, or the checker when one is given).
* interactive problems (``interactive: true``, ``interactor`` set): the solution talks to the
  interactor over pipes; a test's ``input`` goes to the interactor only, ``output`` (may be "") is
  its answer file (``evals.judge.interaction``). With a ``checker`` as well (Polygon's interactor +
  checker), the checker runs as ``checker INPUT TOUT ANSWER`` on what the interactor wrote to its
  ``tout``, once the interactor accepts.
* ``functional`` tests (LeetCode style): the solution defines ``class Solution`` with a method
  ``func_name``; ``input`` holds one JSON value per line (one per argument) and ``output`` one JSON
  value (``compare.parse_functional_input`` / ``compare.compare_functional``).

Unknown fields are refused (a typo such as ``"time_limit"`` would otherwise be silently ignored),
and so are limits outside sane ranges (``LIMITS``: an infinite time limit, or one of 1e9 s, would
hang the judge), more than ``MAX_TESTS`` tests, a test larger than the sandbox's output limit, and a
checker that is a single word but not a stock checker (``STOCK_CHECKERS``; it used to run as Python
and blame the program).
Every error is a ``ProblemError`` (a ``ValueError``) naming the file or row, the field, and the fix.

LiveCodeBench's private tests are ``base64 -> zlib -> pickle -> JSON string``. They are decoded by
an unpickler that resolves no globals at all, so a payload that names any class or function
(``os.system``...) is refused before anything runs; a plain ``str`` needs none.
"""
from __future__ import annotations

import base64
import binascii
import io
import json
import math
import pickle
import re
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from evals.verifiers.answer_region import split_answer_region

Kind = Literal["stdin", "functional"]
KINDS: tuple[str, ...] = ("stdin", "functional")
LCB_TIME_LIMIT_S = 6.0  # LiveCodeBench's default per-test timeout
DEFAULT_TIME_LIMIT_S = 2.0
DEFAULT_MEMORY_MB = 256
MAX_PRIVATE_TESTS_BYTES = 1 << 30  # refuse zlib bombs; the largest LCB payloads are far smaller
# Sane ranges, checked when a problem is made: Codeforces' limits go to 15 s and 1024 MB.
LIMITS = {"time_limit_s": (0.1, 60.0), "memory_mb": (16, 4096)}
MAX_TESTS = 10_000
MAX_TEST_BYTES = 32 << 20  # = sandbox.OUTPUT_LIMIT: an expected output beyond it could never be matched
# The checkers checkers.STOCK implements; a one-word checker must be one of them.
STOCK_CHECKERS = ("lcmp", "wcmp", "rcmp4", "rcmp6", "rcmp9", "yesno")
_ONE_WORD = re.compile(r"[A-Za-z][\w.+-]{0,63}")


class ProblemError(ValueError):
    """Bad problem data; the message names where, which field, and the fix."""


@dataclass(frozen=True)
class TestCase:
    __test__ = False  # not a pytest class, despite the name

    input: str
    output: str


@dataclass(frozen=True)
class CodeProblem:
    id: str
    statement: str
    tests: list[TestCase]
    kind: Kind = "stdin"
    func_name: str | None = None  # the Solution method called by functional tests
    time_limit_s: float = DEFAULT_TIME_LIMIT_S
    memory_mb: int = DEFAULT_MEMORY_MB
    checker: str | None = None  # None: compare_stdout; a stock name ("wcmp"); or testlib C++ source
    interactive: bool = False
    interactor: str | None = None  # interactive problems: the interactor's source (evals.judge.interaction)
    metadata: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        problems = _field_errors(self)
        if problems:
            raise ProblemError(f"problem {self.id!r}: " + "; ".join(problems))

    def to_dict(self) -> dict[str, Any]:
        """The problem-file form (see the module docstring); ``load_problem_file`` reads it back."""
        return asdict(self)


def _field_errors(p: CodeProblem) -> list[str]:
    """Every inconsistency in a problem, each with its fix."""
    errors: list[str] = []
    if not isinstance(p.id, str) or not p.id:
        errors.append("field 'id' must be a non-empty string")
    if not isinstance(p.statement, str):
        errors.append("field 'statement' must be a string")
    if not isinstance(p.tests, list) or not p.tests:
        errors.append("field 'tests' must be a non-empty list of {input, output}")
    elif not all(isinstance(t, TestCase) and isinstance(t.input, str) and isinstance(t.output, str) for t in p.tests):
        errors.append("field 'tests' must hold TestCase(input: str, output: str)")
    elif len(p.tests) > MAX_TESTS:
        errors.append(f"field 'tests' has {len(p.tests)} tests; at most {MAX_TESTS} are judged, keep a subset")
    else:
        big = next((i for i, t in enumerate(p.tests) if max(len(t.input), len(t.output)) > MAX_TEST_BYTES), None)
        if big is not None:
            errors.append(f"tests[{big}] is larger than {MAX_TEST_BYTES >> 20} MiB (the sandbox's output limit)")
    if p.kind not in KINDS:
        errors.append(f"field 'kind' is {p.kind!r}; use one of {KINDS}")
    if p.kind == "functional" and not (isinstance(p.func_name, str) and p.func_name.isidentifier()):
        errors.append(f"field 'func_name' is {p.func_name!r}; functional problems need the method's name")
    errors += _limit_errors(p)
    errors += filter(None, [checker_error(p.checker)])
    if not isinstance(p.interactive, bool):
        errors.append("field 'interactive' must be true or false")
    if p.interactor is not None and not (isinstance(p.interactor, str) and p.interactor.strip()):
        errors.append("field 'interactor' must be null or the interactor's source")
    elif p.interactor is not None and (not p.interactive or p.kind != "stdin"):
        errors.append("field 'interactor' needs \"interactive\": true and kind \"stdin\"")
    if not isinstance(p.metadata, dict):
        errors.append("field 'metadata' must be an object")
    return errors


def _limit_errors(p: CodeProblem) -> list[str]:
    errors = []
    for name, (low, high) in LIMITS.items():
        value = getattr(p, name)
        whole = name == "memory_mb"
        if (isinstance(value, bool) or not isinstance(value, int if whole else (int, float))
                or not math.isfinite(value) or not low <= value <= high):
            unit = "whole megabytes" if whole else "seconds"
            errors.append(f"field '{name}' is {value!r}; give {unit} in the range [{low}, {high}]")
    return errors


def checker_error(checker: Any) -> str | None:
    """What is wrong with a ``checker`` field, or None. One word is a stock checker's name, never code."""
    if checker is None:
        return None
    if not (isinstance(checker, str) and checker.strip()):
        return "field 'checker' must be null or a non-empty string"
    name = checker.strip()
    if _ONE_WORD.fullmatch(name) and name not in STOCK_CHECKERS:
        return (f"field 'checker' is {name!r}, which is no stock checker (known: {', '.join(STOCK_CHECKERS)}); "
                "name one of those, or give the checker's source (C++ with #include, or Python)")
    return None


# --- LiveCodeBench ------------------------------------------------------------------------------


class _GlobalRefused(pickle.UnpicklingError):
    """The pickle named a class or function; told apart from merely corrupt data."""


class _NoGlobalsUnpickler(pickle.Unpickler):
    """Resolves no class or function, so unpickling cannot call anything (REDUCE needs one)."""

    def find_class(self, module: str, name: str) -> Any:
        raise _GlobalRefused(f"payload references {module}.{name}")


def _inflate(data: bytes) -> bytes:
    """zlib-decompress with a size cap."""
    inflater = zlib.decompressobj()
    out = inflater.decompress(data, MAX_PRIVATE_TESTS_BYTES)
    if inflater.unconsumed_tail:
        raise ProblemError(f"private_test_cases: inflates to more than {MAX_PRIVATE_TESTS_BYTES} bytes; refusing")
    if not inflater.eof:  # a streaming inflater returns what it has from a cut-off download
        raise ProblemError("private_test_cases: zlib data is truncated; re-download the dataset")
    return out


def _unpickle_text(blob: str) -> str:
    """base64 -> zlib -> pickle, accepting only a pickled plain ``str``."""
    try:
        raw = _inflate(base64.b64decode("".join(blob.split()), validate=True))
        payload = _NoGlobalsUnpickler(io.BytesIO(raw)).load()
    except (binascii.Error, zlib.error) as exc:
        raise ProblemError(f"private_test_cases: neither JSON nor base64+zlib data ({exc})") from exc
    except _GlobalRefused as exc:
        raise ProblemError(
            f"private_test_cases: unsafe pickle refused ({exc}); only a pickled JSON string is "
            "allowed, so this row is corrupt or malicious -- re-download it from the official dataset"
        ) from exc
    except Exception as exc:  # truncated or garbled pickles raise many types (EOFError, KeyError...)
        raise ProblemError(f"private_test_cases: corrupt pickle ({type(exc).__name__}: {exc})") from exc
    if not isinstance(payload, str):
        raise ProblemError(f"private_test_cases: pickle holds {type(payload).__name__}, expected a JSON string")
    return payload


def decode_private_tests(value: str | list[Any]) -> list[dict[str, Any]]:
    """LCB's private tests as a list of ``{input, output, testtype}`` dicts.

    Accepts an already-decoded list, a JSON string (older releases), or the
    base64/zlib/pickle encoding; ``""`` means no private tests.
    """
    if isinstance(value, list):
        tests: Any = value
    elif not isinstance(value, str):
        raise ProblemError(f"private_test_cases: expected a string or list, got {type(value).__name__}")
    elif not value.strip():
        return []
    else:
        try:
            tests = json.loads(value)
        except ValueError:
            text = _unpickle_text(value)
            try:
                tests = json.loads(text)
            except ValueError as exc:
                raise ProblemError(f"private_test_cases: decoded payload is not JSON ({exc})") from exc
    if not isinstance(tests, list) or not all(isinstance(t, dict) for t in tests):
        raise ProblemError("private_test_cases: expected a JSON list of {input, output, testtype} objects")
    return tests


def _json_field(row: dict[str, Any], name: str, default: Any) -> Any:
    """A field that LCB stores as a JSON string (or, when pre-parsed, as the value itself)."""
    value = row.get(name, default)
    if not isinstance(value, str):
        return value
    if not value.strip():
        return default
    try:
        return json.loads(value)
    except ValueError as exc:
        raise ProblemError(f"LCB row {row.get('question_id')!r}: field {name!r} is not valid JSON ({exc})") from exc


def _lcb_tests(row: dict[str, Any], where: str) -> tuple[list[TestCase], Kind, int]:
    """Public then private tests, their common kind, and how many are public."""
    public = _json_field(row, "public_test_cases", [])
    private = decode_private_tests(row.get("private_test_cases") or "")
    if not isinstance(public, list) or not all(isinstance(t, dict) for t in public):
        raise ProblemError(f"{where}: field 'public_test_cases' must be a JSON list of objects")
    raw = public + private
    kinds = {t.get("testtype", "stdin") for t in raw}
    if not raw or len(kinds) != 1 or not kinds <= set(KINDS):
        raise ProblemError(f"{where}: tests must exist and share one testtype of {KINDS}; found {sorted(kinds)}")
    try:
        tests = [TestCase(input=t["input"], output=t["output"]) for t in raw]
    except KeyError as exc:
        raise ProblemError(f"{where}: a test lacks field {exc}") from exc
    return tests, kinds.pop(), len(public)


def from_livecodebench(row: dict[str, Any], *, time_limit_s: float = LCB_TIME_LIMIT_S,
                       memory_mb: int = DEFAULT_MEMORY_MB) -> CodeProblem:
    """A ``livecodebench/code_generation_lite`` row as a problem (LCB sets no memory limit)."""
    where = f"LCB row {row.get('question_id')!r}"
    if not row.get("question_id"):
        raise ProblemError("LCB row: field 'question_id' is missing; pass a row of code_generation_lite")
    tests, kind, n_public = _lcb_tests(row, where)
    meta = _json_field(row, "metadata", {})
    if not isinstance(meta, dict):
        raise ProblemError(f"{where}: field 'metadata' must be a JSON object")
    extra = {k: row.get(k) for k in ("question_title", "platform", "difficulty", "contest_id", "contest_date")}
    return CodeProblem(
        id=str(row["question_id"]),
        statement=row.get("question_content") or "",
        tests=tests,
        kind=kind,
        func_name=meta.get("func_name") if kind == "functional" else None,
        time_limit_s=time_limit_s,
        memory_mb=memory_mb,
        metadata={"source": "livecodebench", "starter_code": row.get("starter_code") or "",
                  "n_public_tests": n_public, **extra, "lcb_metadata": meta},
    )


# --- Codeforces (open-r1/codeforces) ------------------------------------------------------------


def _cf_statement(row: dict[str, Any]) -> str:
    """Statement sections in Codeforces' order, skipping the empty ones."""
    parts = [row.get("title") or "", row.get("description") or ""]
    for heading, key in (("Input", "input_format"), ("Output", "output_format"),
                         ("Interaction", "interaction_format"), ("Note", "note")):
        if row.get(key):
            parts.append(f"{heading}\n{row[key]}")
    for number, example in enumerate(row.get("examples") or [], start=1):
        parts.append(f"Example {number}\nInput\n{example.get('input', '')}\nOutput\n{example.get('output', '')}")
    return "\n\n".join(p for p in parts if p)


def from_codeforces(row: dict[str, Any]) -> CodeProblem:
    """An ``open-r1/codeforces`` row as a stdin problem judged on its ``official_tests``; an interactive
    row (``interaction_format``) carries its ``interactor`` source when the row has one, and a row with
    both an ``interactor`` and a ``generated_checker`` keeps both (the checker then judges the
    interactor's ``tout``, as Polygon does)."""
    pid = row.get("id") or f"{row.get('contest_id') or ''}{row.get('index') or ''}"
    where = f"Codeforces row {pid!r}"
    if not pid:
        raise ProblemError("Codeforces row: no 'id' (or 'contest_id' + 'index'); pass a row of open-r1/codeforces")
    raw = row.get("official_tests")
    if not isinstance(raw, list) or not raw:
        raise ProblemError(f"{where}: field 'official_tests' is empty or missing; this problem cannot be judged, skip it")
    try:
        tests = [TestCase(input=t["input"], output=t["output"]) for t in raw]
    except (KeyError, TypeError) as exc:
        raise ProblemError(f"{where}: each of 'official_tests' needs 'input' and 'output' ({exc!r})") from exc
    keep = ("contest_id", "index", "title", "rating", "tags", "official_tests_complete")
    interactor = row.get("interactor") or None
    interactive = bool(row.get("interaction_format")) or interactor is not None
    try:
        return CodeProblem(
            id=str(pid),
            statement=_cf_statement(row),
            tests=tests,
            time_limit_s=float(row.get("time_limit") or DEFAULT_TIME_LIMIT_S),
            memory_mb=int(row.get("memory_limit") or DEFAULT_MEMORY_MB),
            checker=row.get("generated_checker") or None,
            interactive=interactive,
            interactor=interactor,
            metadata={"source": "codeforces", **{k: row[k] for k in keep if k in row}},
        )
    except (TypeError, ValueError) as exc:
        raise ProblemError(f"{where}: {exc}") from exc


# --- our own problem files ----------------------------------------------------------------------

_FILE_FIELDS = ("id", "statement", "tests", "kind", "func_name", "time_limit_s", "memory_mb",
                "checker", "interactive", "interactor", "metadata")


def _file_tests(raw: Any, where: str) -> list[TestCase]:
    if not isinstance(raw, list) or not raw:
        raise ProblemError(f'{where}: field "tests" must be a non-empty list of {{"input": ..., "output": ...}}')
    tests = []
    for number, test in enumerate(raw):
        if not (isinstance(test, dict) and set(test) == {"input", "output"}
                and isinstance(test["input"], str) and isinstance(test["output"], str)):
            raise ProblemError(f'{where}: tests[{number}] must be exactly {{"input": "<str>", "output": "<str>"}}')
        tests.append(TestCase(input=test["input"], output=test["output"]))
    return tests


def problem_from_dict(data: Any, where: str = "problem") -> CodeProblem:
    """A problem from its file form (module docstring); ``where`` names the source in errors."""
    if not isinstance(data, dict):
        raise ProblemError(f"{where}: expected a JSON object with fields {_FILE_FIELDS}")
    unknown = sorted(set(data) - set(_FILE_FIELDS))
    if unknown:
        raise ProblemError(f"{where}: unknown fields {unknown}; allowed fields are {_FILE_FIELDS}")
    if "id" not in data:
        raise ProblemError(f'{where}: field "id" is required; add a short unique name')
    fields = {k: v for k, v in data.items() if k != "tests"}
    fields.setdefault("statement", "")
    try:
        return CodeProblem(tests=_file_tests(data.get("tests"), where), **fields)
    except ProblemError as exc:
        raise ProblemError(f"{where}: {exc}") from exc


def load_problem_file(path: str | Path) -> CodeProblem:
    """Read one problem from a JSON file in our format (module docstring)."""
    path = Path(path)
    from evals.errors import DataError
    from evals.records import read_text

    try:
        data = json.loads(read_text(path, "problem file"))
    except DataError as exc:  # unreadable, or not UTF-8 (named with its line)
        raise ProblemError(str(exc)) from exc
    except ValueError as exc:
        raise ProblemError(f"{path}: not valid JSON ({exc}); fix the file") from exc
    return problem_from_dict(data, str(path))


# --- code in a completion -----------------------------------------------------------------------

_LANGUAGE_TAGS = {
    "python": frozenset({"python", "py", "python3", "py3"}),
    "cpp": frozenset({"cpp", "c++", "cc", "cxx"}),
}
_LANGUAGE_ALIASES = {tag: lang for lang, tags in _LANGUAGE_TAGS.items() for tag in tags}


def _fenced_blocks(text: str) -> list[tuple[str, str]]:
    """(tag, body) of every closed ``` block, in order; a closing fence has no info string."""
    blocks: list[tuple[str, str]] = []
    opener: tuple[int, str, int] | None = None  # (fence length, tag, first body line)
    lines = text.split("\n")
    for number, line in enumerate(lines):
        stripped = line.strip()
        ticks = len(stripped) - len(stripped.lstrip("`"))
        if ticks < 3:
            continue
        if opener is None:
            info = stripped[ticks:].split()
            opener = (ticks, info[0].lower() if info else "", number + 1)
        elif ticks >= opener[0] and not stripped[ticks:].strip():
            blocks.append((opener[1], "\n".join(lines[opener[2]:number])))
            opener = None
    return blocks  # an unclosed last block is incomplete code: left out


def extract_code(completion: str, language: str, *, think_prefilled: bool = False) -> str | None:
    """The last fenced block in the answer region (after the last ``</think>``) tagged ``language``.

    ``language`` is "python" or "cpp" (aliases "py", "c++"...). Blocks tagged for the language win;
    when there are none, the last untagged block is taken; otherwise (or when thinking never
    closed, see ``split_answer_region``) None. Blocks with only whitespace do not count.
    """
    lang = _LANGUAGE_ALIASES.get(language.lower())
    if lang is None:
        raise ValueError(f"unknown language {language!r}; use one of {sorted(_LANGUAGE_TAGS)}")
    answer = split_answer_region(completion.replace("\r\n", "\n"), think_prefilled=think_prefilled).answer
    blocks = [(tag, body) for tag, body in _fenced_blocks(answer) if body.strip()]
    tagged = [body for tag, body in blocks if tag in _LANGUAGE_TAGS[lang]]
    untagged = [body for tag, body in blocks if not tag]
    chosen = tagged or untagged
    return chosen[-1] if chosen else None
