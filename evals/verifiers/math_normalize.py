"""String-level normalisation of a math answer before it is parsed.

Each rule closes a known hole of rule graders (see tests/cases/README.md for the
policy behind each): thousands separators and thin spaces, units, degrees (converted
to radians inside a trigonometric function, dropped elsewhere),
dollar and percent signs, ``\\text{}``, base subscripts, repeating decimals,
e-notation, and decimal literals, which become exact fractions so that
``14.0 - 1.0i`` equals ``14 - i`` and ``10^{-20}`` never rounds to ``2\\cdot10^{-20}``.
"""
from __future__ import annotations

import re
from fractions import Fraction

from latex2sympy2_extended.math_normalization import (
    _fix_a_slash_b,
    _fix_fracs,
    _fix_malformed_operators,
    _fix_sqrt,
)

_WRAPPERS = [("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]")]
_SPACING = re.compile(r"(?<!\\)\\[,;:! ]|\\q?quad\b|~|\\displaystyle|\\(?:big|Big|bigg|Bigg)[lr]?\b|\\left\b|\\right\b")
_DEGREE_SIGN = r"(?:\^\s*\{?\s*\\circ\s*\}?|°|\\degree\b|\^\s*\{\s*\\text\{\s*o\s*\}\s*\})"
# a degree sign, with the temperature scale that may follow it (20^\circ\text{C}, 20^{\circ}\mathrm{F})
_DEGREES = re.compile(_DEGREE_SIGN + r"(?:\s*(?:\\(?:text|mathrm|textrm|mbox)\s*\{\s*[CFK]\s*\}|[CFK](?![A-Za-z])))?")
# a trigonometric function of an angle in degrees: \sin 60^\circ, \cos(22.5^\circ), \tan^2{\frac{45}{2}^\circ}
_DEG_ARG = r"-?\s*(?:\d+(?:\.\d+)?|\\frac\s*\{\d+\}\s*\{\d+\})"
_TRIG_DEGREES = re.compile(
    r"(\\(?:sin|cos|tan|sec|csc|cot)(?:\s*\^\s*(?:\{-?\d+\}|\d))?)\s*"
    rf"(?:\(\s*({_DEG_ARG})\s*{_DEGREE_SIGN}\s*\)|\{{\s*({_DEG_ARG})\s*{_DEGREE_SIGN}\s*\}}|({_DEG_ARG})\s*{_DEGREE_SIGN})"
)
# words that are units (or "units" itself) when they follow a number
_UNIT_WORDS = (
    r"(?:square\s+|cubic\s+|sq\.?\s+)?(?:units?|cm|mm|km|m|meters?|metres?|centimeters?|kilometers?|inch(?:es)?|in|"
    r"feet|foot|ft|yards?|yd|miles?|mi|degrees?|deg|radians?|rad|dollars?|cents?|seconds?|sec|s|minutes?|min|"
    r"hours?|hrs?|h|days?|weeks?|months?|years?|grams?|g|kg|kilograms?|pounds?|lbs?|ounces?|oz|liters?|litres?|"
    r"ml|mph|km/h|m/s|people|students|ways|points?|games|pages|coins|marbles|apples|books|times|percent)"
)
_TEXT_UNIT = re.compile(r"\\(?:text|mbox|mathrm|textrm|textnormal|textbf|mathbf)\s*\{\s*" + _UNIT_WORDS + r"\.?\s*\}(?:\s*\^\s*\{?\d\}?)?", re.I)
_PLAIN_UNIT = re.compile(r"(?<=[\d}])\s+" + _UNIT_WORDS + r"\.?(?:\s*\^\s*\{?\d\}?)?(?=\s*$|\s*[,;)\]])", re.I)
_TEXT_CMD = re.compile(r"\\(?:text|mbox|mathrm|textrm|textbf|mathbf|textnormal|textit|mathit|operatorname)\s*\{([^{}]*)\}")
_THOUSANDS = re.compile(r"(?<=\d)\s*(?:,\s*\\!|,\{\}|\{\s*,\s*\})\s*(?=\d{3}(?!\d))")
# 1\,000\,000 and 14~916: digit groups joined by a thin space are one number (never 14 + 916)
_SPACED_THOUSANDS = re.compile(r"(?<![\d.])\d{1,3}(?:(?:\\[,; ]|~)\d{3})+(?!\d)")
_PLAIN_THOUSANDS = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_BASE_SUBSCRIPT = re.compile(r"(\d[0-9A-Za-z]*|[0-9A-Z]+)_\{?\(?(\d{1,2}|[a-z]+)\)?\}?")
_BASE_WORDS = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen".split())}
_REPEATING = re.compile(r"(\d*)\.(\d*)\\overline\{(\d+)\}")
_E_NOTATION = re.compile(r"(?<![A-Za-z\\])(\d+(?:\.\d+)?)[eE]([+-]?\d+)(?![\d.])")
_DECIMAL = re.compile(r"(?<![\d.])(\d*)\.(\d+)(?![\d.])")
_OR = re.compile(r"\\(?:text|mbox|mathrm)\{\s*or\s*\}|\s+or\s+|\\vee\b|\\lor\b")
_AND = re.compile(r",?\s*\\(?:text|mbox|mathrm)\{\s*,?\s*and\s*\}|,?\s+and\s+")
_DOUBLED_BACKSLASH = re.compile(r"\\\\(?=[a-zA-Z])")
# never "!": a trailing ! is a factorial (10! is not 10)
_TRAILING_PUNCT = re.compile(r"[\s.,;:?。]+$")
_SCI = re.compile(r"^-?(\d+(?:\.\d+)?)(?:\\times|\\cdot|\*)10\^\{?[+-]?\d+\}?$")


def strip_wrappers(s: str) -> str:
    s = s.strip()
    changed = True
    while changed and s:
        changed = False
        for left, right in _WRAPPERS:
            if len(s) > len(left) + len(right) - 1 and s.startswith(left) and s.endswith(right):
                s, changed = s[len(left) : len(s) - len(right)].strip(), True
    return s


def repeating_to_fraction(whole: str, fixed: str, period: str) -> Fraction:
    """0.1\\overline{6} -> 1/6: the fixed digits plus the repeating period."""
    base = Fraction(int(whole or "0")) + (Fraction(int(fixed), 10 ** len(fixed)) if fixed else 0)
    return base + Fraction(int(period), (10 ** len(period) - 1) * 10 ** len(fixed))


def _frac(q: Fraction) -> str:
    if q.denominator == 1:
        return str(q.numerator)
    return f"\\frac{{{q.numerator}}}{{{q.denominator}}}"


def significant_digits(literal: str) -> int | None:
    """Significant digits of a lone decimal literal ("0.3330" -> 4), else None."""
    s = strip_wrappers(literal).lstrip("+-").replace(" ", "")
    m = re.fullmatch(r"(\d+)\.(\d+)|(\d+(?:\.\d+)?)[eE][+-]?\d+", s) or _SCI.fullmatch(s)
    if not m:
        return None
    mantissa = m.group(0) if m.re is not _SCI else m.group(1)
    mantissa = re.split(r"[eE]", mantissa)[0]
    digits = mantissa.replace(".", "").lstrip("0")
    return len(digits) or 1


def _trig_in_radians(m: re.Match) -> str:
    """\\sin 60^\\circ -> \\sin((60)\\cdot\\frac{\\pi}{180}): a degree argument is converted, never dropped."""
    angle = next(g for g in m.groups()[1:] if g is not None)
    return f"{m.group(1)}(({angle})\\cdot\\frac{{\\pi}}{{180}})"


def normalize_text(s: str) -> str:
    """Cosmetic normalisation shared by every comparison, including plain strings."""
    s = strip_wrappers(s)
    if "\\begin" not in s:  # a doubled backslash before a command is a typo: 288\\pi
        s = _DOUBLED_BACKSLASH.sub(lambda _: "\\", s)
    s = s.replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac").replace("\\dbinom", "\\binom")
    s = s.replace("\u2212", "-").replace("\u2009", "").replace("\u202f", "").replace("\\%", "%")
    s = _THOUSANDS.sub("", s)
    s = _SPACED_THOUSANDS.sub(lambda m: re.sub(r"\D", "", m.group(0)), s)
    s = _SPACING.sub(" ", s)
    s = _TRIG_DEGREES.sub(_trig_in_radians, s)
    s = _DEGREES.sub("", s)
    s = s.replace("\\$", "").replace("$", "")
    s = _TEXT_UNIT.sub("", s)
    s = _PLAIN_UNIT.sub("", s)
    s = s.replace("%", "")  # policy: a percent is the number written (25% == 25)
    s = _OR.sub(r" \\lor ", s)
    s = _AND.sub(", ", s)
    s = _TEXT_CMD.sub(lambda m: m.group(1), s)
    s = re.sub(r"^[a-zA-Z]\s*\\in\s*", "", s)  # x \in [2,5) -> [2,5)
    s = re.sub(r"\s+", " ", s)
    # latex2sympy's own repairs: \frac43 -> \frac{4}{3}, \sqrt3 -> \sqrt{3}, 4/3 -> \frac{4}{3}
    s = _fix_a_slash_b(_fix_fracs(_fix_sqrt(_fix_malformed_operators(s))))
    s = _TRAILING_PUNCT.sub("", s).strip()
    if _PLAIN_THOUSANDS.fullmatch(s):  # 10,080 alone is one number, not a list
        s = s.replace(",", "")
    m = re.fullmatch(r"\(([A-Za-z])\)", s)  # "(C)" -> "C"
    return m.group(1) if m else s


def exact_decimals(s: str) -> str:
    """Rewrite repeating decimals, e-notation and decimals as exact LaTeX fractions."""
    s = _REPEATING.sub(lambda m: _frac(repeating_to_fraction(*m.groups())), s)
    s = _E_NOTATION.sub(lambda m: f"({m.group(1)}\\times 10^{{{m.group(2)}}})", s)
    return _DECIMAL.sub(lambda m: _frac(Fraction(f"{m.group(1) or '0'}.{m.group(2)}")), s)


def drop_base_subscript(s: str) -> str:
    """1011_2 -> 1011: the problem fixes the base, so the digits are compared as written."""
    m = _BASE_SUBSCRIPT.fullmatch(s.replace(" ", ""))
    if not m:
        return s
    base = m.group(2)
    return m.group(1) if (int(base) if base.isdigit() else _BASE_WORDS.get(base, 0)) >= 2 else s
