"""Tests for evals.judge.compare: output comparison, checker exit codes and verdict precedence."""
from __future__ import annotations

import json

import pytest

from evals.judge.compare import (
    PRECEDENCE,
    checker_verdict,
    compare_functional,
    compare_stdout,
    compare_tokens,
    parse_functional_input,
    tokens_equal,
    worst,
)
from evals.verifiers.verdict import REASONS

BIG = "1234567890" * 1000  # 10,000 digits: past Python's 4,300-digit int<->str limit


@pytest.mark.parametrize(
    ("actual", "expected", "ok"),
    [
        # LCB issues #129/#133: exact Decimal equality mis-graded these
        ("0.30000000000000004", "0.3", True),
        ("1e-9", "0.0", True),
        ("0.333333", "0.3333333333", True),
        ("0.33", "0.3333333333", False),
        ("1.000001", "1.0", True),  # an error of exactly float_tol passes (testlib's 1e-15 slack)
        ("1.0000011", "1.0", False),
        ("1000000.5", "1000000.0", True),  # relative: 0.5 / 1e6 <= 1e-6
        ("1000002", "1000000.0", False),
        ("5", "5.0", True),  # an expected float takes an integer (rcmp and LCB agree)
        ("-0.0", "0.0", True),
        ("1000", "1E3", True),
        (".5", "0.5", True),
        ("nan", "nan", True),
        ("NaN", "nan", True),
        ("nan", "0.0", False),
        ("0", "nan", False),
        ("inf", "inf", True),
        ("inf", "Infinity", True),
        ("-inf", "inf", False),
        ("1e400", "inf", True),  # overflows to inf on both sides, as testlib would read it
        ("1e308", "inf", False),
        ("5", "inf", False),
        # integers: exact, never through float
        ("5", "6", False),
        ("1000000001", "1000000000", False),  # within 1e-6 relative, but integers are exact
        ("007", "7", True),
        ("-0", "0", True),
        ("+5", "5", True),
        (BIG, BIG, True),
        (BIG[:-1] + "1", BIG, False),
        ("-" + BIG, BIG, False),
        # not numbers: exact strings
        ("1_000", "1000", False),  # float() would accept this
        ("YES", "yes", False),
        ("abc", "abc", True),
        ("0x10", "16", False),
    ],
)
def test_tokens(actual: str, expected: str, ok: bool) -> None:
    assert compare_stdout(actual, expected)[0] is ok
    assert tokens_equal(actual, expected) is ok


@pytest.mark.parametrize(
    ("actual", "expected", "ok", "reason"),
    [
        ("1\n2\n3\n", "1\n2\n3", True, ""),
        ("1\r\n2\r\n", "1\n2\n", True, ""),  # CRLF
        ("1\r2\r", "1\n2", True, ""),  # old Mac line endings
        ("1 2  \n3\t\n\n\n", "1 2\n3", True, ""),  # trailing spaces and blank lines
        ("1  2", "1 2", True, ""),  # tokens, so inner spacing is free
        ("  1 2", "1 2", True, ""),
        ("", "", True, ""),
        ("\n\n", "", True, ""),
        ("1\n2", "1\n2\n3\n4", False, "expected 4 lines, got 2"),  # missing lines fail (no zip)
        ("1\n2\n3", "1\n2", False, "expected 2 lines, got 3"),  # extra lines fail
        ("", "0", False, "expected 1 lines, got 0"),
        ("1\n\n2", "1\n2", False, "expected 2 lines, got 3"),  # an inner blank line is a line
        ("1 2 3\n5", "1 2 3\n6", False, "line 2: expected '6' got '5'"),
        ("1 2", "1 2 3", False, "line 1: expected 3 tokens, got 2"),
        ("1 2\n3", "1\n2 3", False, "line 1: expected 1 tokens, got 2"),
    ],
)
def test_compare_stdout(actual: str, expected: str, ok: bool, reason: str) -> None:
    assert compare_stdout(actual, expected) == (ok, reason)


def test_float_tol_is_a_parameter() -> None:
    assert compare_stdout("3.14", "3.14159", float_tol=1e-2)[0]
    assert not compare_stdout("3.14", "3.14159")[0]


def test_long_tokens_are_shown_short_with_the_difference() -> None:
    ok, reason = compare_stdout(BIG[:-1] + "1", BIG)
    assert not ok and len(reason) < 200 and "first difference at character 10000" in reason


@pytest.mark.parametrize(
    ("actual", "expected", "same"),
    [
        ("9" * 2_000_000 + "8", "9" * 2_000_001, False),  # one huge integer
        ("7" * 1_000_000 + ".5", "7" * 1_000_000 + ".5x", False),  # a huge non-number after a failed match
        ("1 " * 500_000, "1\n" * 500_000, False),  # many tokens against many lines
        ("0.5 " * 300_000, "0.5000001 " * 300_000, True),  # many float tokens, within tolerance
    ],
)
@pytest.mark.timeout(60)
def test_no_hang_on_big_outputs(actual: str, expected: str, same: bool) -> None:
    # A hang guard, not a speed test: a quadratic step would take hours here and trip the timeout.
    assert compare_stdout(actual, expected)[0] is same
    compare_tokens(actual, expected)


@pytest.mark.parametrize(
    ("actual", "expected", "float_tol", "ok", "reason"),
    [
        ("a b\nc", "a  b c", None, True, ""),  # line breaks do not matter to wcmp
        ("a b c\n\n", "a\nb\nc", None, True, ""),
        ("a b", "a b c", None, False, "expected 3 tokens, got 2"),
        ("a b c d", "a b c", None, False, "expected 3 tokens, got 4"),
        ("a x c", "a b c", None, False, "token 2: expected 'b' got 'x'"),
        ("1.0", "1", None, False, "token 1: expected '1' got '1.0'"),  # wcmp is exact
        ("1.0", "1", 1e-9, True, ""),
        ("", "", None, True, ""),
    ],
)
def test_compare_tokens(actual: str, expected: str, float_tol: float | None, ok: bool, reason: str) -> None:
    assert compare_tokens(actual, expected, float_tol=float_tol) == (ok, reason)


@pytest.mark.parametrize(
    ("actual", "expected", "ok", "reason_part"),
    [
        ("[1, 2, 3]", "[1,2,3]", True, ""),
        ("[0.30000000000000004]", "[0.3]", True, ""),
        ("2", "2.0", True, ""),
        ("2.0000001", "2.0", True, ""),
        ("2.0000001", "2", False, "expected '2' got '2.0000001'"),  # an integer answer is exact
        ("3", "2", False, "expected '2' got '3'"),
        ("true", "1", False, "expected '1' got 'true'"),  # bool is not int
        ("1", "true", False, "expected 'true' got '1'"),
        ("0", "false", False, ""),
        ("true", "true", True, ""),
        ("null", "0", False, ""),
        ('"1"', "1", False, ""),
        ("[1, 2]", "[1, 2, 3]", False, "top level: expected 3 items, got 2"),
        ("[[1, 2], [3, 5]]", "[[1, 2], [3, 4]]", False, "[1][1]: expected '4' got '5'"),
        ('{"a": 1, "b": [true]}', '{"b": [true], "a": 1}', True, ""),
        ('{"a": 1}', '{"a": 1, "b": 2}', False, "expected keys ['a', 'b'], got ['a']"),
        ('{"a": [1]}', '{"a": 1}', False, "['a']: expected int, got list"),
        ("[1]", "1", False, "expected int, got list"),
        ("NaN", "NaN", True, ""),
        ("1e400", "Infinity", True, ""),  # both parse to inf
        ("1" + "0" * 400, "Infinity", False, ""),  # an int too big for float is not inf
        ("1" + "0" * 400, "1e400", False, ""),
        (BIG, BIG, True, ""),  # 10,000-digit ints survive json.loads
        (BIG[:-1] + "1", BIG, False, "first difference"),
        (f"[{BIG}]", f'["{BIG}"]', False, ""),  # a big int is not a string of its digits
        ("not json", "1", False, "output is not valid JSON"),
        ("", "1", False, "output is not valid JSON"),
        ("[" * 100_000 + "]" * 100_000, "[]", False, "output is not valid JSON"),  # too deep to parse
    ],
)
def test_compare_functional(actual: str, expected: str, ok: bool, reason_part: str) -> None:
    got_ok, reason = compare_functional(actual, expected)
    assert got_ok is ok
    assert reason_part in reason
    assert (reason == "") is ok


def test_compare_functional_deep_nesting_without_recursion() -> None:
    nested = "[" * 900 + "1" + "]" * 900  # as deep as json.loads goes; the compare is iterative
    assert compare_functional(nested, nested) == (True, "")
    assert not compare_functional(nested, nested.replace("1", "2"))[0]


def test_compare_functional_bad_expected_is_a_data_error() -> None:
    with pytest.raises(ValueError, match="expected output is not valid JSON"):
        compare_functional("1", "{oops")


@pytest.mark.parametrize(
    ("text", "args"),
    [
        ("[2,7,11,15]\n9", [[2, 7, 11, 15], 9]),
        ('"abc"\r\n3\r\n', ["abc", 3]),
        ('\n{"a": [1, 2]}\n\n  \ntrue\n', [{"a": [1, 2]}, True]),
        ("", []),
        ("null", [None]),
    ],
)
def test_parse_functional_input(text: str, args: list) -> None:
    assert parse_functional_input(text) == args


@pytest.mark.parametrize(("text", "line"), [("1\n[1, 2\n3", 2), ("\n\nnope", 3), ("1\n" + "9" * 5000, 2)])
def test_parse_functional_input_names_the_bad_line(text: str, line: int) -> None:
    with pytest.raises(ValueError, match=f"line {line} "):
        parse_functional_input(text)


@pytest.mark.parametrize(
    ("exit_code", "full_points", "reason"),
    [
        (0, False, "correct"),
        (1, False, "wrong_answer"),
        (2, False, "wrong_format"),
        (3, False, "judge_error"),  # _fail: the checker's bug, never a wrong answer
        (4, False, "wrong_format"),  # _dirt
        (8, False, "wrong_format"),  # _unexpected_eof
        (7, True, "correct"),
        (7, False, "wrong_answer"),  # partial points
        (5, False, "judge_error"),
        (-11, False, "judge_error"),  # killed by SIGSEGV
        (139, False, "judge_error"),
        (255, False, "judge_error"),
    ],
)
def test_checker_verdict(exit_code: int, full_points: bool, reason: str) -> None:
    assert checker_verdict(exit_code, full_points=full_points) == reason
    assert reason in REASONS


@pytest.mark.parametrize(
    ("reasons", "expected"),
    [
        (["correct", "correct"], "correct"),
        (["correct", "wrong_answer", "correct"], "wrong_answer"),
        (["wrong_format", "wrong_answer"], "wrong_answer"),
        (["wrong_answer", "wrong_format"], "wrong_answer"),
        (["wrong_format", "correct"], "wrong_format"),
        (["wrong_answer", "runtime_error"], "runtime_error"),
        (["runtime_error", "output_limit"], "output_limit"),
        (["output_limit", "memory_limit"], "memory_limit"),
        (["memory_limit", "time_limit", "runtime_error"], "time_limit"),
        (["time_limit", "judge_error", "correct"], "judge_error"),
        (["compile_error"], "compile_error"),
        (["no_code"], "no_code"),
        ([], "judge_error"),  # nothing was checked
    ],
)
def test_worst(reasons: list[str], expected: str) -> None:
    assert worst(reasons) == expected
    assert worst(list(reversed(reasons))) == expected  # independent of test order


def test_worst_rejects_unknown_reasons() -> None:
    with pytest.raises(ValueError, match="unknown code-judge reasons"):
        worst(["correct", "accepted"])


def test_precedence_uses_the_verdict_vocabulary() -> None:
    assert set(PRECEDENCE) <= set(REASONS)
    assert len(set(PRECEDENCE)) == len(PRECEDENCE)


def test_checker_reasons_are_judge_reasons() -> None:
    assert all(checker_verdict(code) in PRECEDENCE for code in range(-20, 300))
    assert json.dumps(worst(["correct"])) == '"correct"'


# An expected integer needs an integer of exactly its value (policy: compare.py's docstring). Each
# near miss (False) is a float-printing or otherwise sloppy program; each True is the same integer.
INT_ANSWERS = [
    # (output, expected, accepted)
    ("9223372036854775807", "9223372036854775807", True),
    ("9.223372036854775e+18", "9223372036854775807", False),  # print(float(a) + float(b))
    ("9223372036854775808", "9223372036854775807", False),  # off by one past 2^63
    ("9007199254740993", "9007199254740992", False),  # 2^53 + 1: equal as floats
    ("1000000900000000000.0", "1000000000000000000", False),  # wrong by 9e11, within 1e-6 relative
    ("1000000000000000000.0", "1000000000000000000", False),  # right value, printed as a float
    ("5.0", "5", False),
    ("5.", "5", False),
    ("5e0", "5", False),
    ("1e5", "100000", False),
    ("1E5", "100000", False),
    ("0x10", "16", False),
    ("1_000", "1000", False),
    ("inf", "5", False),
    ("nan", "5", False),
    ("-0.0", "0", False),
    ("0.0", "0", False),
    ("1e-9", "0", False),  # no tolerance around an integer answer
    ("True", "1", False),
    ("5", "5", True),
    ("+5", "5", True),  # the same integer: sign and leading zeros are not the value
    ("007", "7", True),
    ("-0", "0", True),
    ("-5", "5", False),
    (BIG, BIG, True),
    (BIG + ".0", BIG, False),
]


@pytest.mark.parametrize(("actual", "expected", "ok"), INT_ANSWERS)
def test_integer_answers_are_exact(actual: str, expected: str, ok: bool) -> None:
    assert tokens_equal(actual, expected) is ok
    assert compare_stdout(f"{actual}\n", f"{expected}\n")[0] is ok
    assert compare_stdout(f"1 {actual}\n", f"1 {expected}\n")[0] is ok  # integers around change nothing


@pytest.mark.parametrize(
    ("actual", "expected", "ok"),
    [
        # A float answer (the jury's output holds a non-integer number): every number is read as a
        # float, like testlib's rcmp; a C++ jury printing `cout << 2.0` writes "2".
        ("2.0000001 0.5", "2 0.5", True),
        ("2.0 0.5", "2 0.5", True),
        ("2.1 0.5", "2 0.5", False),
        ("2.0000001\n0.5", "2\n0.5", True),  # the whole output decides, not the line
        ("2.0000001\n7", "2\n7", False),  # no float anywhere: integers stay exact
        ("2.0000001 nan", "2 nan", True),
        ("x 0.5", "y 0.5", False),  # words stay words
        ("1000000001 0.5", "1000000000 0.5", False),  # an integer printed as an integer is still exact
        ("1e400 0.5", f"1{'0' * 400} 0.5", False),  # an integer past the floats is not inf
        ("1e400 0.5", "inf 0.5", True),
    ],
)
def test_float_answers_read_every_number_as_a_float(actual: str, expected: str, ok: bool) -> None:
    assert compare_stdout(actual, expected)[0] is ok


@pytest.mark.parametrize(
    ("actual", "expected", "ok"),
    [
        ("5\n", "5\n", True),
        ("5.0\n", "5\n", False),  # lcmp is exact: no number parsing at all
        ("007\n", "7\n", False),
        ("1 2 \n3\n\n", "1 2\n3\n", True),  # but whitespace is free
        ("1 2\n3\n4\n", "1 2\n3\n", False),  # and extra lines fail
    ],
)
def test_lcmp_is_exact(actual: str, expected: str, ok: bool) -> None:
    from evals.judge.checkers import STOCK

    assert STOCK["lcmp"](actual, expected)[0] is ok


@pytest.mark.parametrize(
    ("name", "actual", "expected", "ok"),
    [
        ("rcmp6", "5.0000001", "5", True),  # a float checker reads integers as doubles
        ("rcmp6", "5.00001", "5", False),
        ("rcmp9", "5.0000001", "5", False),
        ("wcmp", "5.0", "5", False),
        ("yesno", "yes", "YES", True),
        ("yesno", "YES NO", "YES", False),
        ("yesno", "NO", "YES", False),
        ("yesno", "", "NO", False),
    ],
)
def test_stock_checkers(name: str, actual: str, expected: str, ok: bool) -> None:
    from evals.judge.checkers import STOCK

    got_ok, why = STOCK[name](actual, expected)
    assert got_ok is ok and (why == "") is ok


@pytest.mark.parametrize(
    ("actual", "expected", "ok"),
    [
        ("9223372036854775807", "9223372036854775807", True),
        ("9.223372036854775e+18", "9223372036854775807", False),
        ("9007199254740993", "9007199254740992", False),  # beyond 2^53, still exact
        ("1000000900000000000.0", "1000000000000000000", False),
        ("2.0", "2", False),  # Python's 2.0 == 2 (LCB's check) is not ours
        ("[1, 2.0]", "[1, 2]", False),  # nested
        ('{"a": [[3.0]]}', '{"a": [[3]]}', False),
        ("1e5", "100000", False),
        ("Infinity", "5", False),
        ("NaN", "5", False),
        ("true", "1", False),
        ("false", "0", False),
        ("1", "true", False),
        ("[true, 2]", "[1, 2]", False),
        ("2", "2.0", True),  # an expected float takes an integer
        ("[2, 0.5]", "[2.0, 0.5]", True),
        ("[2.0000001, 0.5]", "[2, 0.5]", True),  # a float answer: the expected value holds 0.5
        ("[2.5, 0.5]", "[2, 0.5]", False),
        ("[2, -0]", "[2, 0]", True),
        (f"{BIG}.0", BIG, False),
    ],
)
def test_functional_integer_answers_are_exact(actual: str, expected: str, ok: bool) -> None:
    assert compare_functional(actual, expected)[0] is ok
