"""Parse a normalised math answer into a small structure of sympy values.

The structure (list, set, tuple, bracket pair, interval set, matrix, atom, text)
is decided here, by us, because it carries the policy: a bare comma list is the
unordered list of solutions, ``(a, b)`` stays ordered, a column vector is the
tuple of its entries, an inequality is the set it describes, a label before ``=``
(``f(x) =``, ``(p,q) =``) is set aside, values joined by "or" are a list. Atoms are read by
latex2sympy (math-verify's parser). Text it cannot read stays text and is only
ever compared as a string, so unreadable LaTeX never collapses to a number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import sympy
from latex2sympy2_extended import latex2sympy

from .math_normalize import drop_base_subscript, exact_decimals, significant_digits

# A label is a name for the answer, written before "=": x, x_1, \theta, AB, |AB|, \angle ABC, f(x),
# f^{-1}(3), (p, q), V_1:V_2. It is set aside and the right side compared (policy: labels are notation,
# and two labels that differ never match). An expression on the left (2x+4y-3 = 0) is an equation.
_NAME = (
    r"(?:m?\\angle\s*|\\overline\s*)?(?:[a-zA-Z]|[A-Z]{2,3}|\\[a-zA-Z]+|\{[A-Z]{2,3}\})"  # x, AB, \theta (never xy)
    r"(?:_\{?\w+\}?)?(?:\^\{-1\})?'*(?:\([\w\s,\\{}]*\))?"  # x_1, f^{-1}, f', f(x): arguments without operators
)
_LABEL = rf"{_NAME}|\|\s*{_NAME}\s*\||\(\s*{_NAME}(?:\s*,\s*{_NAME})+\s*\)|{_NAME}(?:\s*:\s*{_NAME})+"
_ASSIGN = re.compile(rf"^({_LABEL})\s*=\s*([^=]+)$")
_DIGIT_GAP = re.compile(r"\d\s+\d")  # "2 3": latex2sympy would read 5; unreadable instead
_PRIME = re.compile(r"'|\\prime\b")  # latex2sympy drops primes (x' -> x, 3'4'' -> 7); unreadable instead
_DOUBLE_FACTORIAL = re.compile(r"(?<![\w.}])(\d+)\s*!!(?!!)")
MAX_DOUBLE_FACTORIAL = 2000  # a larger literal n!! stays unreadable rather than computed
_RELATION = re.compile(r"<|>|\\le|\\ge|\\lt\b|\\gt\b|\\neq")
_MATRIX = re.compile(r"\\begin\{[pbvB]?matrix\}")
_OPEN, _CLOSE = "([{", ")]}"
_VARIABLE = re.compile(r"(?<![\\a-zA-Z])[a-df-hj-zA-Z](?![a-zA-Z])")  # a lone letter but e and i
_BINDERS = re.compile(r"\\(?:sum|prod|int|oint|lim|binom|frac\{d)|\\mathrm\{d\}|\bd[a-z]\b")
_IMAGINARY = re.compile(r"(?<![\\a-zA-Z])i(?![a-zA-Z])")


@dataclass(frozen=True)
class Parsed:
    kind: str  # atom | text | list | set | pair | tuple | matrix | interval
    value: Any = None  # sympy value, or tuple[Parsed, ...] for containers
    text: str = ""  # the normalised answer, as shown in a verdict
    brackets: str = ""  # "()", "[)", ... for a two-element pair
    sigfigs: int | None = None  # significant digits of a lone decimal literal
    lhs: str | None = None  # "x" of an answer written "x = 3"
    items: tuple["Parsed", ...] = field(default=())


def split_top_level(s: str, sep: str = ",") -> list[str]:
    """Split on ``sep`` outside any bracket ((, [, {), so (1,2),(3,4) is two items."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s) and s[i + 1] in "{}":
            depth += 1 if s[i + 1] == "{" else -1
            i += 2
            continue
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth -= 1
        elif c == sep and depth == 0:
            parts.append(s[start:i])
            start = i + 1
        i += 1
    parts.append(s[start:])
    return [p.strip() for p in parts]


def _wrapped(s: str) -> str | None:
    """The bracket pair around the whole of ``s`` ("()", "[)", "\\{\\}"), if any.

    Bare braces around a comma list, {-a, a}, are a set too (a lone {5} is only grouping)."""
    if s.startswith("\\{") and s.endswith("\\}"):
        return "{}"
    if s.startswith("{") and s.endswith("}") and len(split_top_level(s[1:-1])) >= 2:
        return "{}" if _matching_close(s, 0) == len(s) - 1 else None
    if len(s) < 2 or s[0] not in "([" or s[-1] not in ")]":
        return None
    depth = 0
    for i, c in enumerate(s):
        depth += c in _OPEN
        depth -= c in _CLOSE
        if depth == 0 and i < len(s) - 1:
            return None  # "(1)(2)": the first bracket closes early
    return s[0] + s[-1]


def _matching_close(s: str, start: int) -> int:
    """Index of the brace that closes the "{" at ``start`` (-1 when it never closes)."""
    depth = 0
    for i in range(start, len(s)):
        depth += (s[i] == "{") - (s[i] == "}")
        if depth == 0:
            return i
    return -1


@lru_cache(maxsize=4096)
def latex_to_sympy(latex: str) -> Any:
    """latex2sympy with exact decimals; a lone ``i`` is the imaginary unit (policy)."""
    complex_ = _IMAGINARY.search(latex) is not None
    latex = _DOUBLE_FACTORIAL.sub(_double_factorial, latex)  # latex2sympy reads n!! as (n!)!
    value = latex2sympy(exact_decimals(latex), is_real=not complex_, normalization_config=None)
    if complex_ and isinstance(value, sympy.Basic):
        value = value.subs({s: sympy.I for s in value.free_symbols if s.name == "i"})
    return value


def _double_factorial(m: re.Match) -> str:
    n = int(m.group(1))
    if n > MAX_DOUBLE_FACTORIAL:
        raise ValueError(f"{n}!! is too large to evaluate")
    return f"({sympy.factorial2(n)})"


def _functions_as_symbols(value: Any) -> Any:
    """-1 \\le f(x) \\le 3 describes the set of values of f(x): read f(x) as one variable."""
    applied = value.atoms(sympy.core.function.AppliedUndef)
    return value.subs({f: sympy.Dummy("f") for f in applied}) if applied else value


def _interval_set(t: str) -> Any:
    """An inequality, union of intervals, or "or" of inequalities as a sympy set."""
    sets = []
    for part in re.split(r"\\lor|\\cup", t):
        value = latex_to_sympy(part.strip())
        if isinstance(value, sympy.Basic) and not isinstance(value, sympy.Set):
            value = _functions_as_symbols(value)
        if isinstance(value, sympy.Set):
            sets.append(value)
        elif isinstance(value, (sympy.Rel, sympy.And, sympy.Or)) and len(value.free_symbols) == 1:
            sets.append(value.as_set())
        else:
            raise ValueError(f"not a set: {part!r}")
    return sympy.Union(*sets)


def _parse_atom(t: str) -> Parsed:
    lhs = None
    m = _ASSIGN.match(t)
    if m and not _RELATION.search(t):
        lhs, t = m.group(1), m.group(2).strip()
    t = drop_base_subscript(t)
    sig = significant_digits(t)
    if _DIGIT_GAP.search(t) or _PRIME.search(t):
        return Parsed("text", t, t, lhs=lhs)
    try:
        if _RELATION.search(t) or "\\cup" in t or "\\lor" in t:
            return Parsed("interval", _interval_set(t), t, lhs=lhs)
        value = latex_to_sympy(t)
    except Exception:  # latex2sympy raises many types; all mean "not readable"
        return Parsed("text", t, t, lhs=lhs)
    if isinstance(value, sympy.MatrixBase):
        if 1 in value.shape:  # a column or row vector is the tuple of its entries
            items = tuple(Parsed("atom", v, str(v)) for v in value)
            return Parsed("tuple", None, t, items=items, lhs=lhs)
        return Parsed("matrix", value, t, lhs=lhs)
    if isinstance(value, sympy.Set) and not isinstance(value, sympy.FiniteSet):
        return Parsed("interval", value, t, lhs=lhs)
    if _collapsed(t, value):
        return Parsed("text", t, t, lhs=lhs)
    return Parsed("atom", value, t, sigfigs=sig, lhs=lhs)


def _collapsed(t: str, value: Any) -> bool:
    """A variable written in the text vanished from the value: \\gcd(3, n) read as 1.

    Sums, products, integrals and limits bind their variables, so they may vanish."""
    if not isinstance(value, sympy.Basic) or value.free_symbols or _BINDERS.search(t):
        return False
    return _VARIABLE.search(t) is not None


@lru_cache(maxsize=4096)
def parse_structure(t: str) -> Parsed:
    """Parse an already normalised answer (cached: a gold is parsed once for its k samples)."""
    m = _ASSIGN.match(t)
    if m and not _RELATION.search(t) and "\\lor" not in t:  # a label before the whole answer: (p,q)=(3,2)
        return replace(parse_structure(m.group(2).strip()), lhs=m.group(1))
    brackets = _wrapped(t)
    inner = (t[2:-2] if t.startswith("\\{") else t[1:-1]) if brackets == "{}" else (t[1:-1] if brackets else t)
    parts = split_top_level(inner)
    if brackets == "{}":
        return Parsed("set", None, t, items=tuple(_parse_atom(p) for p in parts if p))
    if brackets and len(parts) >= 2 and not _MATRIX.search(t):
        items = tuple(_parse_atom(p) for p in parts)
        kind = "pair" if len(parts) == 2 else "tuple"
        return Parsed(kind, None, t, brackets=brackets, items=items)
    top = split_top_level(t)
    if len(top) == 1 and "\\lor" in t and not _RELATION.search(t) and "\\cup" not in t:
        top = [p.strip() for p in t.split("\\lor")]  # policy: x=1 or x=-2 is the list of solutions 1, -2
    if len(top) == 1 and t.count("\\pm") == 1:  # policy: a \pm b is the list of its two values
        top = [t.replace("\\pm", "+"), t.replace("\\pm", "-")]
    if len(top) >= 2 and all(top):
        return Parsed("list", None, t, items=tuple(parse_structure(p) for p in top))
    return _parse_atom(t)
