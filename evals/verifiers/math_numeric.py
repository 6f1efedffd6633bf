"""Equality of two sympy expressions, decided by cheap means first.

A grader that is slow must never turn a correct answer wrong, so the ladder is:
1. sympy's automatic canonical form (the parsed trees rebuilt with evaluation on,
   which reorders ``2\\sqrt{33}+15`` into ``15+2\\sqrt{33}``) - decides "exact";
2. evaluation at ``PRECISION`` digits; two values whose relative difference is at
   most ``AGREE`` are equal, more is different. Expressions with free symbols are
   evaluated at ``POINTS`` random points seeded from their text (reproducible),
   and must agree at every point where both evaluate;
3. only when no number can be trusted (no significant digit left, an undefined
   function, infinities), sympy's ``simplify`` tries to prove the difference zero
   within ``PROOF_BUDGET_S`` seconds, far below the verifier pool's hard limit.

The policy is relative at high precision, never rounding: ``10^{-20}`` is not
``2\\cdot10^{-20}``, and values that differ at the 30th digit are different.
"""
from __future__ import annotations

import hashlib
import math
import random
import threading
from typing import Any

import sympy

PRECISION = 60  # digits of every numeric evaluation
AGREE = sympy.Float(10, PRECISION) ** -45  # relative difference under which two values are equal
_MIN_BITS = 150  # ~45 digits: a part evaluated with fewer significant bits is not trusted
POINTS = 4  # random points for expressions with free symbols; at least 2 must evaluate
PROOF_BUDGET_S = 1.0  # sympy's proof, only where evaluation cannot decide
PROOF_THREAD = "math-proof"  # a pool worker with such a thread still alive retires (worker.py)
_MAX_BITS, _MAX_FUNCTION_ARG = 2**16, 1000  # above these, rebuilding would compute huge integers


def _magnitude(x: sympy.Basic) -> float:
    """|x| for a number (an estimate, inf when too large for a float); 0 for a symbolic x."""
    if x.is_Integer:
        return float(min(abs(int(x)), 10**300))
    if not x.is_number:
        return 0.0
    try:
        return abs(complex(x.evalf(15)))
    except (TypeError, ValueError, OverflowError):
        return math.inf


def _cheap(e: sympy.Basic) -> bool:
    """Rebuilding with evaluation will not compute a huge integer: 2^{2^{30}}, 9^{9^9}, (10^6)!
    (the exponent of a power and the argument of a function are estimated before they are built)."""
    for node in sympy.preorder_traversal(e):
        if node.is_Pow and _magnitude(node.exp) * math.log2(max(2.0, _magnitude(node.base))) > _MAX_BITS:
            return False
        if isinstance(node, sympy.Function) and any(_magnitude(a) > _MAX_FUNCTION_ARG for a in node.args):
            return False
    return True


def _rebuild(e: Any) -> Any:
    if not isinstance(e, sympy.Basic) or not e.args:
        return e
    return e.func(*[_rebuild(a) for a in e.args])


def canonical(e: Any) -> Any:
    """sympy's automatic canonical form of a tree parsed with evaluation off (4+5 -> 9,
    2\\sqrt{33}+15 -> 15+2\\sqrt{33}); ``e`` itself when rebuilding is unsafe or fails."""
    if not isinstance(e, sympy.Expr) or not _cheap(e):
        return e
    try:
        return _rebuild(e)
    except Exception:  # classes whose constructor does not take its own args back
        return e


def _trusted(part: Any) -> bool:
    return part is sympy.S.Zero or (isinstance(part, sympy.Float) and part._prec >= _MIN_BITS)


def evaluate(e: sympy.Expr, subs: dict | None = None) -> tuple[Any, Any] | None:
    """(real, imaginary) at PRECISION digits, or None when a part cannot be trusted."""
    try:
        v = e.evalf(PRECISION, subs=subs)
        if not v.is_number:
            return None
        parts = v.as_real_imag()
    except (TypeError, ValueError, ArithmeticError, AttributeError, RecursionError):
        return None
    return parts if all(_trusted(p) for p in parts) else None


def agree(g: tuple[Any, Any], p: tuple[Any, Any]) -> bool:
    scale = max(abs(x) for x in (*g, *p))
    return bool(scale == 0 or max(abs(g[0] - p[0]), abs(g[1] - p[1])) <= AGREE * scale)


def prove_zero(d: sympy.Expr, budget_s: float = PROOF_BUDGET_S) -> bool | None:
    """True when sympy simplifies ``d`` to 0, False when it simplifies to anything else,
    None when it ran out of budget. The proof runs in a daemon thread that is abandoned,
    not killed, when late (a pool worker that finds one alive retires itself)."""
    out: list[bool] = []

    def work() -> None:
        try:
            out.append(bool(sympy.simplify(d) == 0))
        except Exception:
            out.append(False)

    thread = threading.Thread(target=work, name=PROOF_THREAD, daemon=True)
    thread.start()
    thread.join(budget_s)
    return out[0] if out else None


def _points(g: sympy.Expr, p: sympy.Expr, symbols: list[sympy.Symbol]) -> list[dict]:
    """POINTS assignments of rationals in ±[0.1, 3] (mixed signs: real symbols take any
    real value), seeded from the two expressions so a verdict is reproducible."""
    seed = hashlib.sha256(f"{g}|{p}".encode()).digest()
    rng = random.Random(seed)
    return [{s: sympy.Rational(rng.choice((-1, 1)) * rng.randint(13, 381), 127) for s in symbols}
            for _ in range(POINTS)]


def exprs_equal(g: sympy.Expr, p: sympy.Expr) -> tuple[bool | None, str]:
    """(equal, method) for two numbers or expressions, by the ladder above; ``equal`` is None
    when nothing could decide within the budget (method "unproven")."""
    cg, cp = canonical(g), canonical(p)
    if cg == cp or (cg - cp) == 0:  # what sympy's own evaluation already makes identical
        return True, "exact" if not (cg.free_symbols or cp.free_symbols) else "symbolic"
    symbols = sorted(cg.free_symbols | cp.free_symbols, key=str)
    if not symbols:
        gv, pv = evaluate(cg), evaluate(cp)
        if gv is not None and pv is not None:
            same = agree(gv, pv)
            return same, f"numeric_{PRECISION}_digits" if same else "numeric_mismatch"
    else:
        decided = 0
        for point in _points(cg, cp, symbols):
            gv, pv = evaluate(cg, point), evaluate(cp, point)
            if gv is None or pv is None:
                continue
            if not agree(gv, pv):
                return False, "symbolic_mismatch"
            decided += 1
        if decided >= 2:
            return True, "numeric_random_points"
    proved = prove_zero(cg - cp)
    if proved is None:
        return None, "unproven"
    return proved, "symbolic" if proved else "symbolic_mismatch"
