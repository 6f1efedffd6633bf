"""Decide whether a parsed prediction equals a parsed gold answer.

Numbers and expressions are compared by ``math_numeric.exprs_equal``: sympy's
canonical form, then evaluation at 60 digits (expressions with free symbols at
seeded random points), then sympy's proof under a budget well below the pool's
limit, so a slow proof never costs a correct answer. Never by rounding to a
fixed number of decimals: 1/2004! is not 1/2006!. A lone
decimal prediction of an exact gold is accepted only when it carries at least
``APPROX_MIN_SIGFIGS`` significant digits and lies within one unit of its last
digit. Symbolic expressions go through sympy; relations through math-verify.
Returns (equal, method): the method names the comparison that decided.
"""
from __future__ import annotations

import re
from typing import Any

import sympy
from math_verify.grader import sympy_expr_eq

from .math_numeric import evaluate, exprs_equal
from .math_parse import Parsed, latex_to_sympy

APPROX_MIN_SIGFIGS = 6


def canonical_text(s: str) -> str:
    return re.sub(r"[\s{}]|\\!|\\,", "", s).lower()


def _infinite(x: sympy.Expr) -> bool:
    return x.has(sympy.oo, -sympy.oo, sympy.zoo, sympy.nan)


def _is_number(x: Any) -> bool:
    return isinstance(x, sympy.Expr) and not x.free_symbols and not _infinite(x)


def _numbers_equal(g: sympy.Expr, p: sympy.Expr, pred_sigfigs: int | None, gold_is_decimal: bool) -> tuple[bool, str]:
    equal, method = exprs_equal(g, p)  # canonical form, then PRECISION digits, then a bounded proof
    if equal is not False or method != "numeric_mismatch":
        return bool(equal), method
    if pred_sigfigs and not gold_is_decimal and pred_sigfigs >= APPROX_MIN_SIGFIGS:
        gv, pv = evaluate(g), evaluate(p)
        if gv and pv and gv[1] == 0 and pv[1] == 0 and pv[0] != 0:
            # one unit in the last written digit of the prediction
            ulp = sympy.Float(10) ** (sympy.floor(sympy.log(abs(pv[0]), 10)) - pred_sigfigs + 1)
            if abs(gv[0] - pv[0]) <= ulp:
                return True, "decimal_approximation"
    return False, "numeric_mismatch"


def _atoms_equal(g: Parsed, p: Parsed) -> tuple[bool, str]:
    gv, pv = g.value, p.value
    if isinstance(gv, sympy.Eq) and not isinstance(pv, sympy.Eq) and isinstance(gv.lhs, sympy.Symbol):
        gv = gv.rhs
    if isinstance(pv, sympy.Eq) and not isinstance(gv, sympy.Eq) and isinstance(pv.lhs, sympy.Symbol):
        pv = pv.rhs
    if isinstance(gv, sympy.Eq) != isinstance(pv, sympy.Eq):
        return False, "kind_mismatch"  # "5x - 7y + 4 = 0" is not the number 0
    if _is_number(gv) and _is_number(pv):
        try:
            return _numbers_equal(gv, pv, p.sigfigs, g.sigfigs is not None)
        except (TypeError, ValueError, ArithmeticError):  # sympy could not order or evaluate them
            return False, "incomparable"
    if isinstance(gv, sympy.Expr) and isinstance(pv, sympy.Expr) and not (_infinite(gv) or _infinite(pv)):
        try:  # free symbols: canonical form, then random points, then a bounded proof
            equal, method = exprs_equal(gv, pv)
        except (TypeError, ValueError, ArithmeticError):
            return False, "incomparable"
        return bool(equal), method
    try:  # relations, sets of numbers, anything sympy holds: math-verify's comparison
        return sympy_expr_eq(gv, pv, float_rounding=10, numeric_precision=30, strict=True), "math_verify"
    except Exception:
        return False, "incomparable"


def _equation_side(x: Parsed) -> Any:
    """``lhs - rhs`` of an equation: "2x+4y-3=0", or "y = 2x+3" whose single-symbol label was set aside."""
    if isinstance(x.value, sympy.Eq):
        return x.value.lhs - x.value.rhs
    if x.lhs and isinstance(x.value, sympy.Expr) and x.value.free_symbols:
        label = latex_to_sympy(x.lhs)
        if isinstance(label, sympy.Symbol):
            return label - x.value
    return None


def _same_equation(g: Parsed, p: Parsed) -> bool | None:
    """Two equations with the same solution set because one side is a constant multiple of the other:
    2x+4y-3=0 is y=-\\frac12x+\\frac34; x+y+z=1 is 2x+2y+2z=2. None when not both equations."""
    if not (isinstance(g.value, sympy.Eq) or isinstance(p.value, sympy.Eq)):
        return None  # "y = 2x+3" against "2x+3" stays the existing label policy
    gs, ps = _equation_side(g), _equation_side(p)
    if gs is None or ps is None or gs.free_symbols != ps.free_symbols:
        return None
    ratio = sympy.cancel(gs / ps)  # cheap for polynomials; anything else falls back to _atoms_equal
    return bool(_is_number(ratio) and ratio != 0) or None


def _match_unordered(gs: tuple[Parsed, ...], ps: tuple[Parsed, ...]) -> bool:
    """Every gold item has an equal predicted item and vice versa (set semantics)."""
    hits = [[answers_equal(g, p)[0] for p in ps] for g in gs]
    return all(any(row) for row in hits) and all(any(hits[i][j] for i in range(len(gs))) for j in range(len(ps)))


def _as_interval(x: Parsed) -> Any:
    if x.kind == "interval":
        return x.value
    if x.kind == "pair" and all(i.kind == "atom" for i in x.items):
        lo, hi = x.items[0].value, x.items[1].value
        return sympy.Interval(lo, hi, left_open=x.brackets[0] == "(", right_open=x.brackets[1] == ")")
    return None


def _same(a: Any, b: Any) -> bool:
    """Two matrix entries or interval endpoints: identical, or equal by ``exprs_equal``."""
    if a == b:
        return True
    if isinstance(a, sympy.Expr) and isinstance(b, sympy.Expr) and not (_infinite(a) or _infinite(b)):
        return exprs_equal(a, b)[0] is True
    return False


def _sets_equal(g: Any, p: Any) -> bool:
    """Unions of intervals endpoint by endpoint (sympy keeps them sorted and merged), so
    radical endpoints are compared numerically instead of by simplifying their difference."""
    gs, ps = (s.args if isinstance(s, sympy.Union) else (s,) for s in (g, p))
    if len(gs) == len(ps) and all(isinstance(x, sympy.Interval) for x in (*gs, *ps)):
        return all(a.left_open == b.left_open and a.right_open == b.right_open
                   and _same(a.start, b.start) and _same(a.end, b.end) for a, b in zip(gs, ps))
    return bool(g.symmetric_difference(p) == sympy.EmptySet)


def _items(x: Parsed) -> tuple[Parsed, ...]:
    return x.items if x.kind in ("list", "set") else (x,)


def answers_equal(gold: Parsed, pred: Parsed) -> tuple[bool, str]:
    if gold.lhs and pred.lhs and canonical_text(gold.lhs) != canonical_text(pred.lhs):
        return False, "different_variable"
    if canonical_text(gold.text) == canonical_text(pred.text):
        return True, "string"
    kinds = {gold.kind, pred.kind}
    if kinds & {"list", "set"}:  # one answer against a list: the list of one
        return _match_unordered(_items(gold), _items(pred)), "unordered"
    if "text" in kinds:
        return canonical_text(gold.text) == canonical_text(pred.text), "string"
    if kinds <= {"pair", "tuple"}:
        same_len = len(gold.items) == len(pred.items)
        brackets_ok = gold.kind != "pair" or pred.kind != "pair" or gold.brackets == pred.brackets
        ok = same_len and brackets_ok and all(answers_equal(g, p)[0] for g, p in zip(gold.items, pred.items))
        return ok, "ordered"
    if "interval" in kinds:
        gi, pi = _as_interval(gold), _as_interval(pred)
        if gi is None or pi is None:
            return False, "kind_mismatch"
        return _sets_equal(gi, pi), "interval"
    if kinds == {"matrix"}:
        g, p = gold.value, pred.value
        return g.shape == p.shape and all(_same(a, b) for a, b in zip(g, p)), "matrix"
    if kinds == {"atom"}:
        if _same_equation(gold, pred):
            return True, "same_equation"
        return _atoms_equal(gold, pred)
    return False, "kind_mismatch"
