"""Compare a program's output with the expected output, and fold per-test reasons into one verdict.

Pure stdlib; nothing here runs model-written code (the sandbox lives elsewhere). Usage::

    from evals.judge.compare import (
        checker_verdict, compare_functional, compare_stdout, compare_tokens, worst,
    )

    ok, why = compare_stdout(stdout, test.output)            # stdin/stdout problems (LCB, Codeforces)
    ok, why = compare_tokens(stdout, test.output)            # testlib "wcmp": one token stream, exact
    ok, why = compare_functional(result_json, test.output)   # LeetCode-style: one JSON value each
    args = parse_functional_input(test.input)                # one JSON value per line -> arguments
    reason = checker_verdict(exit_code)                      # a testlib checker's exit code
    overall = worst(["correct", "time_limit", "wrong_answer"])  # -> "time_limit"

Every ``compare_*`` returns ``(ok, reason)`` where ``reason`` is a short human-readable message
("line 3: expected '5' got '6'", "expected 4 lines, got 3"), ``""`` when ok.

Rules of ``compare_stdout`` (LiveCodeBench's line-by-line comparison, with its float bugs fixed):

* ``\\r\\n`` and ``\\r`` become ``\\n``; trailing whitespace of every line and trailing blank lines
  are dropped. The line counts must then be equal: a missing or extra line fails (open-r1's reward
  zips the two and so passes them; we do not). An empty output passes only an empty (or blank)
  expected output: the jury said "print nothing".
* Each line is split into whitespace-separated tokens; the token counts must match, and tokens must
  be equal one by one (see ``tokens_equal``). The EXPECTED token decides how the output is read:

  - equal strings are equal;
  - an expected integer (``[+-]?digits``) needs an output integer of the same value, compared
    exactly as digit strings, never through ``float``. ``+5``, ``007`` and ``-0`` name the same
    integer and pass (LiveCodeBench's Decimal equality accepts them too); ``5.0``, ``5.``, ``5e0``,
    ``1e5`` (for 100000), ``0x10``, ``inf`` do not: the answer is an integer, and a program printing
    floats loses it past 2^53 (``9.223372036854775e+18``, or a wrong value ``+ .0`` within the
    tolerance, once passed here). Codeforces' ``ncmp``/``wcmp`` refuse them too;
  - the one exception, a float answer: when the expected output holds any non-integer number
    (``0.5``, ``1e-3``, ``nan``), every number of that output is read as a float (testlib's
    ``rcmp`` reads every token as a double), so ``2.0000001`` passes for an expected ``2`` next to
    ``0.5``. Only the jury's text can switch this on, never the program's;
  - an expected non-integer decimal (``5.0``, ``0.3``, ``1e9``) takes any output decimal or integer
    within the tolerance, so ``5`` passes for ``5.0`` (Codeforces' ``rcmp`` and LiveCodeBench agree):
    equal when ``|a - b| <= float_tol * max(1, |b|)`` (``b`` the expected value), i.e. absolute *or*
    relative error within ``float_tol`` like testlib's ``doubleCompare``, plus testlib's 1e-15 slack
    so that an error of exactly ``float_tol`` in decimal is not lost to binary rounding. LCB compared
    ``Decimal`` tokens exactly, so ``0.30000000000000004`` failed against ``0.3`` (LCB issues
    #129/#133); here it passes;
  - ``nan`` matches only ``nan`` and ``inf`` only the same-signed ``inf`` (case-insensitive,
    ``inf``/``infinity``); neither is ever within tolerance of a finite number.

  Numbers are recognised by an explicit decimal grammar, not ``float()``, which would also accept
  ``1_000`` and surrounding whitespace. All of this is linear in the size of the two texts.
  ``float_tol=None`` compares every token as an exact string (testlib's ``lcmp``).

``compare_functional`` applies the same rule to JSON leaves: an expected JSON integer needs a JSON
integer of the same value (``2.0`` and ``true`` fail for ``2``: Python's ``2.0 == 2 == True``, which
LiveCodeBench's ``==`` uses, is not ours), unless the expected value holds a float somewhere; an
expected float takes an integer or a float within the tolerance.
"""
from __future__ import annotations

import json
import math
import re
from typing import Any

# Possessive quantifiers (3.11+) keep a failed match linear on long digit runs.
_INT = re.compile(r"[+-]?+\d++")
_DECIMAL = re.compile(r"[+-]?+(?:\d++(?:\.\d*+)?+|\.\d++)(?:[eE][+-]?+\d++)?+")
_SPECIAL = {"nan": math.nan, "inf": math.inf, "infinity": math.inf}
_SLACK = 1e-15  # testlib's doubleCompare adds the same to absorb binary rounding
_SHOW = 40  # characters of a token shown in a reason


def _show(token: str) -> str:
    """Quote a token for a reason, cut short so 10,000-digit numbers do not flood logs."""
    if len(token) > _SHOW:
        token = f"{token[:_SHOW]}...({len(token)} chars)"
    return repr(token)


def _expected_got(want: str, got: str) -> str:
    """``expected 'x' got 'y'``, plus where long tokens first differ (their shown heads may match)."""
    text = f"expected {_show(want)} got {_show(got)}"
    if max(len(want), len(got)) <= _SHOW:
        return text
    low, high = 0, min(len(want), len(got))  # binary search on C-speed prefix comparisons
    while low < high:
        mid = (low + high + 1) // 2
        low, high = (mid, high) if want[:mid] == got[:mid] else (low, mid - 1)
    return f"{text}, first difference at character {low + 1}"


def _canonical_int(token: str) -> str:
    """``-007`` -> ``-7``; ``-0`` and ``+0`` -> ``0``."""
    sign = "-" if token[0] == "-" else ""
    digits = token.lstrip("+-").lstrip("0") or "0"
    return digits if digits == "0" else sign + digits


def _as_number(token: str) -> float | None:
    """The float value of a decimal or nan/inf token, or None when it is not a number."""
    if _DECIMAL.fullmatch(token):
        return float(token)  # may overflow to inf for 1e400; then it only matches inf
    body = token.lstrip("+-")
    if len(token) - len(body) <= 1 and body.lower() in _SPECIAL:
        value = _SPECIAL[body.lower()]
        return -value if token.startswith("-") else value
    return None


def floats_close(actual: float, expected: float, float_tol: float) -> bool:
    """testlib-style absolute-or-relative comparison; nan == nan, inf only equals the same inf."""
    if math.isnan(expected) or math.isnan(actual):
        return math.isnan(expected) and math.isnan(actual)
    if math.isinf(expected) or math.isinf(actual):
        return actual == expected
    return abs(actual - expected) <= float_tol * max(1.0, abs(expected)) + _SLACK


def float_answer(tokens: list[str]) -> bool:
    """Whether expected tokens hold a non-integer number: then all their numbers compare as floats."""
    return any(not _INT.fullmatch(t) and _as_number(t) is not None for t in tokens)


def tokens_equal(actual: str, expected: str, float_tol: float = 1e-6, *, floating: bool = False) -> bool:
    """Whether two whitespace-free tokens are equal under ``compare_stdout``'s rules.

    ``floating``: the expected output is a float answer (``float_answer``), so an expected integer
    takes floats within the tolerance too; otherwise it needs an integer of exactly its value."""
    if actual == expected:
        return True
    if _INT.fullmatch(expected) and not floating:
        return _INT.fullmatch(actual) is not None and _canonical_int(actual) == _canonical_int(expected)
    if _INT.fullmatch(actual) and _INT.fullmatch(expected):
        return _canonical_int(actual) == _canonical_int(expected)
    a, b = _as_number(actual), _as_number(expected)
    if a is None or b is None or (math.isinf(b) and _INT.fullmatch(expected)):  # 10^400 is no inf
        return False
    return floats_close(a, b, float_tol)


def _lines(text: str) -> list[str]:
    """Normalised lines: unified line endings, right-stripped, no trailing blank lines."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def compare_stdout(actual: str, expected: str, *, float_tol: float | None = 1e-6) -> tuple[bool, str]:
    """Compare stdout with the expected output line by line (rules in the module docstring).

    ``float_tol=None``: tokens must be identical strings (testlib's ``lcmp``)."""
    got, want = _lines(actual), _lines(expected)
    if got == want:  # the usual correct answer: equal lines hold equal tokens (skips the token loop)
        return True, ""
    if len(got) != len(want):
        return False, f"expected {len(want)} lines, got {len(got)}"
    floating = None  # whether the expected output is a float answer; read at the first unequal token
    for number, (got_line, want_line) in enumerate(zip(got, want), start=1):
        got_tokens, want_tokens = got_line.split(), want_line.split()
        if len(got_tokens) != len(want_tokens):
            return False, f"line {number}: expected {len(want_tokens)} tokens, got {len(got_tokens)}"
        for a, b in zip(got_tokens, want_tokens):
            if a == b:
                continue
            if float_tol is not None and floating is None:
                floating = float_answer(expected.split())
            if float_tol is None or not tokens_equal(a, b, float_tol, floating=floating):
                return False, f"line {number}: {_expected_got(b, a)}"
    return True, ""


def compare_tokens(actual: str, expected: str, *, float_tol: float | None = None) -> tuple[bool, str]:
    """Compare two texts as single whitespace-separated token streams; line breaks do not matter.

    With ``float_tol=None`` tokens must be identical strings: testlib's ``wcmp`` checker. With a
    tolerance, every number compares as a float within it, integers included (testlib's ``rcmp*``
    family reads every token as a double; a problem picks these checkers for float answers).
    """
    got, want = actual.split(), expected.split()
    for number, (a, b) in enumerate(zip(got, want), start=1):
        same = a == b if float_tol is None else tokens_equal(a, b, float_tol, floating=True)
        if not same:
            return False, f"token {number}: {_expected_got(b, a)}"
    if len(got) != len(want):  # checked last so the first differing token is reported first
        return False, f"expected {len(want)} tokens, got {len(got)}"
    return True, ""


# --- functional (LeetCode-style) problems -------------------------------------------------------


class _BigInt(str):
    """A JSON integer too long for ``int()`` under Python's digit limit; compared as digits."""


def _parse_int(digits: str) -> int | _BigInt:
    # sys.int_info.default_max_str_digits is 4300; beyond it int() raises, so keep the digits
    return int(digits) if len(digits) <= 4000 else _BigInt(digits)


def _loads(text: str) -> Any:
    return json.loads(text, parse_int=_parse_int)


def _dump(value: Any) -> str:
    return str(value) if isinstance(value, _BigInt) else json.dumps(value)


def _path(path: tuple[Any, ...]) -> str:
    return "".join(f"[{key!r}]" for key in path) or "top level"


def _numbers_close(got: int | float, want: int | float, float_tol: float) -> bool:
    """int vs float (or float vs float) within tolerance; an int too large for a float never is."""
    try:
        return floats_close(float(got), float(want), float_tol)
    except OverflowError:  # float(10**400); comparing it as inf would match a real inf
        return False


def _has_float(value: Any) -> bool:
    """Whether a JSON value holds a float anywhere (then its integers compare as floats too)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, float):
            return True
        if isinstance(item, (list, dict)):
            stack.extend(item.values() if isinstance(item, dict) else item)
    return False


def _leaf_mismatch(got: Any, want: Any, float_tol: float, floating: bool) -> str | None:
    """Why two non-container JSON values differ, or None when they are equal (rules: module doc)."""
    if isinstance(got, bool) or isinstance(want, bool):  # True must not pass for 1
        same = type(got) is type(want) and got == want
    elif isinstance(got, _BigInt) or isinstance(want, _BigInt):
        same = type(got) is type(want) and got == want
    elif isinstance(got, int) and isinstance(want, int):
        same = got == want
    elif isinstance(want, int) and not floating:  # an integer answer needs an integer: 2.0 fails for 2
        same = False
    elif isinstance(got, (int, float)) and isinstance(want, (int, float)):
        same = _numbers_close(got, want, float_tol)
    else:
        same = type(got) is type(want) and got == want
    if same:
        return None
    return _expected_got(_dump(want), _dump(got))


def _mismatch(got: Any, want: Any, float_tol: float) -> str | None:
    """Deep comparison without recursion (JSON nests as deep as the parser allows)."""
    floating = _has_float(want)
    stack: list[tuple[tuple[Any, ...], Any, Any]] = [((), got, want)]
    while stack:
        path, a, b = stack.pop()
        if isinstance(b, list) or isinstance(a, list):
            if not (isinstance(a, list) and isinstance(b, list)):
                return f"{_path(path)}: expected {type(b).__name__}, got {type(a).__name__}"
            if len(a) != len(b):
                return f"{_path(path)}: expected {len(b)} items, got {len(a)}"
            stack.extend(((*path, i), x, y) for i, (x, y) in reversed(list(enumerate(zip(a, b)))))
        elif isinstance(b, dict) or isinstance(a, dict):
            if not (isinstance(a, dict) and isinstance(b, dict)):
                return f"{_path(path)}: expected {type(b).__name__}, got {type(a).__name__}"
            if a.keys() != b.keys():
                return f"{_path(path)}: expected keys {sorted(b)}, got {sorted(a)}"
            stack.extend(((*path, k), a[k], b[k]) for k in reversed(list(b)))
        elif (why := _leaf_mismatch(a, b, float_tol, floating)) is not None:
            return f"{_path(path)}: {why}"
    return None


def compare_functional(actual_json: str, expected_json: str, *, float_tol: float = 1e-6) -> tuple[bool, str]:
    """Compare a function's JSON-encoded return value with the expected JSON value.

    Lists compare element-wise (a returned tuple arrives as a JSON list, so tuples equal lists);
    objects need the same keys; an expected integer needs the same integer (``2.0`` fails for ``2``)
    unless the expected value holds a float somewhere, then numbers compare with ``floats_close``;
    ``true`` never equals ``1``. Unparseable ``actual_json`` is a wrong answer (ok False); an
    unparseable ``expected_json`` is bad problem data and raises ``ValueError``.
    """
    try:
        want = _loads(expected_json)
    except (ValueError, RecursionError) as exc:
        raise ValueError(f"expected output is not valid JSON ({exc}); fix the problem's test data") from exc
    try:
        got = _loads(actual_json)
    except (ValueError, RecursionError) as exc:
        return False, f"output is not valid JSON: {str(exc)[:80]}"
    why = _mismatch(got, want, float_tol)
    return (why is None), (why or "")


def parse_functional_input(text: str) -> list[Any]:
    """The call's arguments: one JSON value per non-blank line, in order (LCB's functional format)."""
    args: list[Any] = []
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        if not line.strip():
            continue
        try:
            args.append(json.loads(line))
        except (ValueError, RecursionError) as exc:
            raise ValueError(f"functional test input line {number} is not valid JSON ({exc}): {_show(line)}") from exc
    return args


# --- checker exit codes and overall verdicts ----------------------------------------------------

# testlib.h's default exit codes (no EJUDGE/CONTESTER/TESTSYS defines).
_CHECKER_CODES = {
    0: "correct",  # _ok
    1: "wrong_answer",  # _wa
    2: "wrong_format",  # _pe
    3: "judge_error",  # _fail: the checker itself failed, never the contestant's fault
    4: "wrong_format",  # _dirt: extra data after the answer
    8: "wrong_format",  # _unexpected_eof (when built with ENABLE_UNEXPECTED_EOF)
}
POINTS_EXIT_CODE = 7


def checker_verdict(exit_code: int, *, full_points: bool = False) -> str:
    """Map a testlib checker's exit code to a verdict reason.

    Exit code 7 (``_points``) means the checker awarded a score, written in its output. Our
    verdicts are pass/fail, so it is "correct" only when the caller has read that score and says it
    is the full score (``full_points=True``); otherwise a partial score is a "wrong_answer". Any
    other unknown code (crash, signal, partial-credit codes) is a "judge_error": an unexplained
    checker result must never be blamed on the solution.
    """
    if exit_code == POINTS_EXIT_CODE:
        return "correct" if full_points else "wrong_answer"
    return _CHECKER_CODES.get(exit_code, "judge_error")


# Worst first. DMOJ's order (internal error > TLE > MLE > OLE > RE > WA); compile_error and no_code
# mean no test could run, so they sit just below judge_error; WA outranks PE as the stronger claim.
PRECEDENCE: tuple[str, ...] = (
    "judge_error",
    "compile_error",
    "no_code",
    "time_limit",
    "idleness_limit",
    "memory_limit",
    "output_limit",
    "runtime_error",
    "wrong_answer",
    "wrong_format",
    "correct",
)
_RANK = {reason: rank for rank, reason in enumerate(PRECEDENCE)}


def worst(reasons: list[str]) -> str:
    """A submission's overall reason from its per-test reasons: the worst one by ``PRECEDENCE``.

    The result does not depend on the order of tests. No tests at all is a "judge_error" (nothing
    was checked, so "correct" would be a lie). A reason outside the code-judge vocabulary of
    ``evals.verifiers.verdict`` raises ``ValueError``.
    """
    if not reasons:
        return "judge_error"
    unknown = sorted({r for r in reasons if r not in _RANK})
    if unknown:
        raise ValueError(f"unknown code-judge reasons {unknown}; use one of {PRECEDENCE}")
    return min(reasons, key=_RANK.__getitem__)
