"""Is an answer written evaluated? The policy behind the verifier option ``require_evaluated``.

An answer that restates the question's expression (``\\boxed{4+5}`` for 9) is
mathematically equal to the gold, and the evaluation may count it; a training
reward must not pay for it, or the policy learns to stop computing.

Definition (deterministic, on the normalised answer text and its exact value):
a number whose exact value is *rational* must be written as a rational literal:
an integer, a decimal (``1.5``, ``0.\\overline{3}``), a fraction of integers in
lowest terms with denominator > 1 (``\\frac{3}{2}``, ``3/2``), a mixed number
(``1\\frac{4}{5}``, as some golds are written), or scientific
notation (``6.02\\times10^{23}``, ``10^{-20}``), each with an optional sign and
optional parentheses. Anything else with a rational value is *unevaluated*:
``4+5``, ``2\\cdot3``, ``2^{10}``, ``\\sqrt{16}``, ``3!``, ``\\binom{5}{2}``,
``\\frac{6}{3}``, ``\\frac{2}{4}``, ``\\sin\\frac{\\pi}{6}``, ``\\log_2 8``.
Irrational and complex values are not judged (``2\\sqrt3``, ``\\frac{1}{\\sqrt3}``,
``\\sqrt{50}``, ``\\pi/4`` are answers; the simplest radical form is a matter of
form, not of evaluation), nor are intervals or text. In an expression with free
symbols only an operation on integer literals that a writer would always evaluate
is judged: a factorial, a binomial, or a power of literals (``8n^2+4n+1!``,
``\\binom{5}{2}x``, ``2^{10}x``), which a policy could otherwise append to a correct
polynomial for free (found by tests/test_cannot_be_gamed.py). A prediction is refused only when it has an unevaluated number and the
gold has none (a gold written ``2^{10}`` accepts ``2^{10}``).
"""
from __future__ import annotations

import re
from math import gcd

import sympy

from .math_numeric import canonical
from .math_parse import Parsed

_SIGN = r"[+-]?"
_DECIMAL = re.compile(_SIGN + r"(?:\d+(?:\.\d*)?|\.\d+)(?:\\overline\{\d+\})?")
_FRACTION = re.compile(_SIGN + r"(?:\\frac\{(" + _SIGN + r"\d+)\}\{(\d+)\}|(\d+)/(\d+))")
_MIXED = re.compile(_SIGN + r"\d+\\frac\{(\d+)\}\{(\d+)\}")  # 1\frac{4}{5}: a proper fraction after the integer
_SCIENTIFIC = re.compile(_SIGN + r"(?:\d+(?:\.\d+)?(?:\\times|\\cdot|\*|[eE])\s*)?(?:10\^\{?" + _SIGN + r"\d+\}?)?"
                         r"|" + _SIGN + r"\d+(?:\.\d+)?[eE]" + _SIGN + r"\d+")


def is_rational_literal(text: str) -> bool:
    """``text`` (a normalised answer) is how a rational number is written when evaluated."""
    t = re.sub(r"\s+", "", text)
    while len(t) > 2 and t[0] == "(" and t[-1] == ")":
        t = t[1:-1]
    if _DECIMAL.fullmatch(t) or (_SCIENTIFIC.fullmatch(t) and re.search(r"\d", t)):
        return True
    m = _FRACTION.fullmatch(t)
    if m:
        p, q = (int(x) for x in (m.group(1) or m.group(3), m.group(2) or m.group(4)))
        return q > 1 and gcd(p, q) == 1
    m = _MIXED.fullmatch(t)
    if m:
        p, q = int(m.group(1)), int(m.group(2))
        return 0 < p < q and gcd(p, q) == 1
    return False


def _atoms(x: Parsed):
    if x.kind == "atom":
        yield x
    for item in x.items:
        yield from _atoms(item)


# factorial, binomial or power of integer literals, written inside a larger expression
_LITERAL_OPERATION = re.compile(r"(?<![\\\w.])\d+\s*!|\\binom\s*\{\s*\d+\s*\}\s*\{\s*\d+\s*\}|"
                                r"(?<![\\\w.^_{])\d+\s*\^\s*(?:\{\s*\d+\s*\}|\d)")


def unevaluated_atom(x: Parsed) -> bool:
    """An atom whose exact value is rational, written otherwise than as a rational literal;
    or an expression with free symbols that holds a literal factorial, binomial or power."""
    v = x.value
    if not isinstance(v, sympy.Expr):
        return False
    if v.free_symbols:
        return bool(_LITERAL_OPERATION.search(x.text))
    if is_rational_literal(x.text):
        return False
    try:
        return bool(canonical(v).is_Rational)
    except Exception:  # cannot be evaluated: not judged
        return False


def unevaluated(x: Parsed) -> str | None:
    """The text of the first unevaluated number in a parsed answer, or None."""
    return next((a.text for a in _atoms(x) if unevaluated_atom(a)), None)
