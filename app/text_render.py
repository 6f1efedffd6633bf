"""Model and problem text as Markdown that shows what was written: LaTeX kept as math (Streamlit's
Markdown renders `$…$` and `$$…$$` with KaTeX), everything else escaped so that `*`, `_`, `#`, `[`
or a leading `1.` in a problem or a chain of thought never turns into italics, headings, links or
lists, and `[asy]` figures shown as code. Also the helpers that fold the middle of a very long trace
and find text inside one. Pure functions: the pages and the static export share them.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from evals.verifiers.answer_region import split_answer_region

__all__ = ["to_markdown", "fold", "find", "Folded", "Hit", "highlight_html", "trace_parts"]

_ENVS = r"align\*?|aligned|equation\*?|gather\*?|eqnarray\*?|multline\*?"
# One pass over the text: each match is math (display or inline) or an [asy] figure; the rest is prose.
_TOKENS = re.compile(
    r"(?P<asy>\[asy\](?P<asy_body>.*?)\[/asy\])"
    r"|\$\$(?P<dd>.+?)\$\$"
    r"|\\\[(?P<bd>.+?)\\\]"
    r"|(?P<env>\\begin\{(?P<envname>" + _ENVS + r")\}.*?\\end\{(?P=envname)\})"
    r"|\\\((?P<bi>.+?)\\\)"
    r"|(?<![\\$])\$(?P<di>(?:\\.|[^$\\\n]|\n(?!\s*\n))+?)\$",
    re.DOTALL,
)
# Markdown (and Streamlit's `:color[…]` directives) give these meaning; a backslash makes each literal.
_SPECIAL = set("\\`*_{}[]()<>#+-.!|~:&=^")


def _escape(prose: str) -> str:
    out = []
    i = 0
    while i < len(prose):
        ch = prose[i]
        if ch == "\\" and i + 1 < len(prose) and prose[i + 1] == "$":  # an escaped dollar stays one
            out.append("\\$")
            i += 2
            continue
        out.append("\\$" if ch == "$" else ("\\" + ch if ch in _SPECIAL else ch))
        i += 1
    # a line break in the text is a line break on screen; leading blanks would make a code block
    return re.sub(r"\n[ \t]+", "\n", "".join(out)).replace("\n", "  \n")


def _fence(code: str) -> str:
    ticks = "`" * max(3, 1 + max((len(m) for m in re.findall(r"`+", code)), default=0))
    return f"\n\n{ticks}\n{code.strip(chr(10))}\n{ticks}\n\n"


def to_markdown(text: str) -> str:
    """`text` as Markdown for `st.markdown`: math rendered, prose literal, [asy] as code."""
    out, last = [], 0
    for m in _TOKENS.finditer(text or ""):
        out.append(_escape(text[last:m.start()]))
        if m.group("asy") is not None:
            out.append(_fence(m.group("asy_body")))
        elif m.group("env") is not None:
            out.append(f"\n\n$$\n{m.group('env').strip()}\n$$\n\n")
        elif (display := m.group("dd") or m.group("bd")) is not None:
            out.append(f"\n\n$$\n{display.strip()}\n$$\n\n")
        else:
            inline = (m.group("bi") or m.group("di") or "").strip()
            out.append(f"${inline}$" if inline else "")
        last = m.end()
    out.append(_escape((text or "")[last:]))
    return "".join(out)


@dataclass(frozen=True)
class Folded:
    head: str
    middle: str
    tail: str

    @property
    def folded(self) -> bool:
        return bool(self.middle)


def _cut(text: str, at: int, forward: bool) -> int:
    """The paragraph (else line) boundary nearest `at`, so that no formula is cut in two."""
    for sep in ("\n\n", "\n"):
        pos = text.find(sep, at) if forward else text.rfind(sep, 0, at)
        if pos != -1 and abs(pos - at) < 3000:
            return pos + len(sep)
    return at


def fold(text: str, keep: int = 4000, limit: int = 12000) -> Folded:
    """A text over `limit` characters as its first and last ~`keep` characters and the middle between."""
    if len(text) <= limit:
        return Folded(text, "", "")
    a = _cut(text, keep, forward=True)
    b = _cut(text, len(text) - keep, forward=False)
    if b <= a:
        return Folded(text, "", "")
    return Folded(text[:a], text[a:b], text[b:])


@dataclass(frozen=True)
class Hit:
    where: str
    offset: int
    before: str
    match: str
    after: str


def find(parts: dict[str, str], needle: str, context: int = 120, limit: int = 50) -> tuple[int, list[Hit]]:
    """Case-insensitive occurrences of `needle` in each named text: (total count, the first `limit` hits)."""
    if not needle:
        return 0, []
    pattern = re.compile(re.escape(needle), re.IGNORECASE)
    total, hits = 0, []
    for where, text in parts.items():
        for m in pattern.finditer(text or ""):
            total += 1
            if len(hits) < limit:
                hits.append(Hit(where, m.start(), text[max(0, m.start() - context):m.start()], m.group(0),
                                text[m.end():m.end() + context]))
    return total, hits


def highlight_html(text: str, needle: str | None, last_only: bool = True, anchor: str | None = None) -> str:
    """`text` escaped as HTML, `needle` (its last occurrence, or all) in <mark>, the mark carrying `anchor`."""
    if not needle or needle not in text:
        return html.escape(text)
    if last_only:
        cut = text.rfind(needle)
        ident = f' id="{anchor}"' if anchor else ""
        return (html.escape(text[:cut]) + f"<mark{ident}>" + html.escape(needle) + "</mark>"
                + html.escape(text[cut + len(needle):]))
    return f"<mark>{html.escape(needle)}</mark>".join(html.escape(p) for p in text.split(needle))


def trace_parts(sample: dict[str, Any]) -> tuple[str, str]:
    """(reasoning, answer region) of a stored sample, split as the verifier splits it."""
    completion = sample.get("completion") or ""
    if sample.get("reasoning"):
        return sample["reasoning"], completion
    region = split_answer_region(completion, finish_reason=sample.get("finish_reason"),
                                 think_prefilled=bool(sample.get("think_prefilled")))
    return region.reasoning, region.answer
