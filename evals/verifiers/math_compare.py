"""Decide whether a parsed prediction equals a parsed gold answer.

Numbers are compared exactly (high-precision evaluation, then sympy's proof),
never by rounding to a fixed number of decimals: 1/2004! is not 1/2006!. A lone
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

from .math_parse import Parsed, latex_to_sympy

APPROX_MIN_SIGFIGS = 6
_PRECISION = 60  # digits of the numeric check before trying a symbolic proof
_CLOSE = sympy.Float(10) ** -45


def canonical_text(s: str) -> str:
    return re.sub(r"[\s{}]|\\!|\\,", "", s).lower()


def _is_number(x: Any) -> bool:
    return isinstance(x, sympy.Expr) and not x.free_symbols and not x.has(sympy.oo, -sympy.oo, sympy.zoo, sympy.nan)


def _numbers_equal(g: sympy.Expr, p: sympy.Expr, pred_sigfigs: int | None, gold_is_decimal: bool) -> tuple[bool, str]:
    gv, pv = g.evalf(_PRECISION), p.evalf(_PRECISION)
    scale = max(abs(gv), abs(pv))
    diff = abs(gv - pv)
    if scale == 0 or diff <= _CLOSE * scale:
        if sympy.simplify(g - p) == 0:
            return True, "exact"
        return True, f"numeric_{_PRECISION}_digits"
    if pred_sigfigs and not gold_is_decimal and pred_sigfigs >= APPROX_MIN_SIGFIGS and gv.is_real and pv.is_real:
        # one unit in the last written digit of the prediction
        ulp = sympy.Float(10) ** (sympy.floor(sympy.log(abs(pv), 10)) - pred_sigfigs + 1)
        if diff <= ulp:
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
    if isinstance(gv, sympy.Expr) and isinstance(pv, sympy.Expr):
        if (gv - pv) == 0 or sympy.simplify(gv - pv) == 0:
            return True, "symbolic"
        if gv.free_symbols != pv.free_symbols:
            return False, "symbolic_mismatch"
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
        return bool(gi.symmetric_difference(pi) == sympy.EmptySet), "interval"
    if kinds == {"matrix"}:
        g, p = gold.value, pred.value
        same = g.shape == p.shape and all(sympy.simplify(a - b) == 0 for a, b in zip(g, p))
        return same, "matrix"
    if kinds == {"atom"}:
        if _same_equation(gold, pred):
            return True, "same_equation"
        return _atoms_equal(gold, pred)
    return False, "kind_mismatch"
