"""Parse a normalised math answer into a small structure of sympy values.

The structure (list, set, tuple, bracket pair, interval set, matrix, atom, text)
is decided here, by us, because it carries the policy: a bare comma list is the
unordered list of solutions, ``(a, b)`` stays ordered, a column vector is the
tuple of its entries, an inequality is the set it describes. Atoms are read by
latex2sympy (math-verify's parser). Text it cannot read stays text and is only
ever compared as a string, so unreadable LaTeX never collapses to a number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import sympy
from latex2sympy2_extended import latex2sympy

from .math_normalize import drop_base_subscript, exact_decimals, significant_digits

_ASSIGN = re.compile(r"^([a-zA-Z](?:_\{?\w+\}?)?|\\[a-zA-Z]+)\s*=\s*([^=]+)$")
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
    """The bracket pair around the whole of ``s`` ("()", "[)", "\\{\\}"), if any."""
    if s.startswith("\\{") and s.endswith("\\}"):
        return "{}"
    if len(s) < 2 or s[0] not in "([" or s[-1] not in ")]":
        return None
    depth = 0
    for i, c in enumerate(s):
        depth += c in _OPEN
        depth -= c in _CLOSE
        if depth == 0 and i < len(s) - 1:
            return None  # "(1)(2)": the first bracket closes early
    return s[0] + s[-1]


@lru_cache(maxsize=4096)
def latex_to_sympy(latex: str) -> Any:
    """latex2sympy with exact decimals; a lone ``i`` is the imaginary unit (policy)."""
    complex_ = _IMAGINARY.search(latex) is not None
    value = latex2sympy(exact_decimals(latex), is_real=not complex_, normalization_config=None)
    if complex_ and isinstance(value, sympy.Basic):
        value = value.subs({s: sympy.I for s in value.free_symbols if s.name == "i"})
    return value


def _interval_set(t: str) -> Any:
    """An inequality, union of intervals, or "or" of inequalities as a sympy set."""
    sets = []
    for part in re.split(r"\\lor|\\cup", t):
        value = latex_to_sympy(part.strip())
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
    brackets = _wrapped(t)
    inner = t[2:-2] if brackets == "{}" else (t[1:-1] if brackets else t)
    parts = split_top_level(inner)
    if brackets == "{}":
        return Parsed("set", None, t, items=tuple(_parse_atom(p) for p in parts if p))
    if brackets and len(parts) >= 2 and not _MATRIX.search(t):
        items = tuple(_parse_atom(p) for p in parts)
        kind = "pair" if len(parts) == 2 else "tuple"
        return Parsed(kind, None, t, brackets=brackets, items=items)
    top = split_top_level(t)
    if len(top) == 1 and t.count("\\pm") == 1:  # policy: a \pm b is the list of its two values
        top = [t.replace("\\pm", "+"), t.replace("\\pm", "-")]
    if len(top) >= 2 and all(top):
        return Parsed("list", None, t, items=tuple(parse_structure(p) for p in top))
    return _parse_atom(t)
