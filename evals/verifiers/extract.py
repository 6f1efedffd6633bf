"""Find the final answer inside an answer region.

Order: the last ``\\boxed{}`` / ``\\fbox{}`` (brace-matched, also ``\\boxed 5``),
with the boxes of a final list ("$\\boxed{2}$ and $\\boxed{3}$") joined; then
anchored phrases ("final answer is", "Answer:", "答案是", a bolded final
answer). Never an unanchored number from prose.

Every scan is linear in the text, so a megabyte of unclosed braces costs one
pass, not one pass per box.
"""
from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

MAX_ANSWER_CHARS = 4096  # an "answer" longer than this is not read, only reported
_BOX_RE = re.compile(r"\\(?:boxed|fbox)(?![a-zA-Z])")
# what may stand between two boxes of one final list: punctuation, "and", "or",
# spacing commands, dollar signs, and "x =" labels; never a sentence end.
_LIST_GAP_RE = re.compile(
    r"(?:[\s$,;&]|\\[,;:! ()\[\]]|\\q?quad|\\text\{\s*(?:,|and|or)?\s*\}|\band\b|\bor\b|"
    r"\\(?:text|mathrm)\{\s*(?:and|or)\s*\}|[a-zA-Z](?:_\{?\w+\}?)?\s*=)*"
)
_MAX_LIST_GAP = 48


@dataclass(frozen=True)
class Extraction:
    text: str  # the answer as written (boxes of a list joined by ", ")
    source: str  # "boxed", "boxed_list", "phrase", "bold"
    items: tuple[str, ...] = ()  # the separate boxes of a list


_BRACE_OR_ESCAPE = re.compile(r"\\.|[{}]", re.S)
_TOKEN = re.compile(r"[^\s$]+")


def _matching_braces(text: str) -> dict[int, int]:
    """Index of each "{" -> index of its "}", in one linear pass (\\{ is literal)."""
    stack: list[int] = []
    match: dict[int, int] = {}
    for m in _BRACE_OR_ESCAPE.finditer(text):
        c = m.group(0)
        if c == "{":
            stack.append(m.start())
        elif c == "}" and stack:
            match[stack.pop()] = m.start()
    return match


def find_boxes(text: str) -> list[tuple[str, int, int]]:
    """All complete boxes as (content, start, end), outermost only, in order.

    Linear in the text: braces are matched once for the whole region, so a
    megabyte of unclosed ``\\boxed{`` costs one pass, not one pass per box.
    """
    commands = list(_BOX_RE.finditer(text))
    if not commands:
        return []
    match = _matching_braces(text)
    boxes: list[tuple[str, int, int]] = []
    end_of_last = 0
    for m in commands:
        if m.start() < end_of_last:
            continue  # nested inside the previous box
        i = m.end()
        while i < len(text) and text[i] == " ":
            i += 1
        if i < len(text) and text[i] == "{":
            close = match.get(i)
            if close is None:
                continue
            boxes.append((text[i + 1 : close], m.start(), close + 1))
            end_of_last = close + 1
        elif (tok := _TOKEN.match(text, i)) is not None:  # \boxed 5
            boxes.append((tok.group(0), m.start(), tok.end()))
            end_of_last = tok.end()
    return boxes


def _final_list(text: str, boxes: list[tuple[str, int, int]]) -> list[str]:
    """The last box and the boxes just before it that belong to the same list."""
    items = [boxes[-1][0]]
    for k in range(len(boxes) - 2, -1, -1):
        gap = text[boxes[k][2] : boxes[k + 1][1]]
        if len(gap) > _MAX_LIST_GAP or _LIST_GAP_RE.fullmatch(gap) is None:
            break
        if not re.search(r"[,;&]|\band\b|\bor\b|\\q?quad|\\text", gap):
            break  # two boxes with nothing between are not a list
        items.append(boxes[k][0])
    return items[::-1]


# Anchors only: the answer is the rest of the line after the LAST anchor, so
# "Final Answer: The final answer is 7" reads 7, in one linear pass. The sentence
# end is trimmed afterwards, so decimals like 3.5 survive.
_ANCHORED = re.compile(
    r"(?:\banswer\s*(?:\*\*|__)?\s*(?:is|would\s+be|will\s+be|=|:|：)\s*[:：]?"
    r"|(?:最终答案|答案)\s*(?:是|为|應為|应为|[:：])\s*[:：]?)"
    r"(?=[ \t]*\S)",  # something follows on the line
    re.I,
)
_BOLD_LINE = re.compile(r"^[ \t]*\*\*(?P<a>[^*\n]+)\*\*[ \t.]*$", re.M)
# a "!" touching the answer (10!) is a factorial and stays; after a space or "$" it is punctuation
_TRAILING = re.compile(r"(?:[\s.。,，;；！]|(?<![\w)}\]!])!|\*\*|__)+$")
# a sentence end: ". " before more words; after a digit only before a capital ("12. I hope"), so 3. 5 is not cut
_SENTENCE_END = re.compile(r"(?<!\d)\.\s+(?=\S)|(?<=\d)\.\s+(?=[A-Z])|。")


def _clean_phrase(answer: str) -> str:
    answer = answer.strip()
    # stop at a sentence end: ". " followed by more words, or a Chinese full stop
    answer = _SENTENCE_END.split(answer, maxsplit=1)[0]
    answer = _TRAILING.sub("", answer).strip()
    answer = re.sub(r"^(?:\*\*|__)+|(?:\*\*|__)+$", "", answer).strip()
    if len(answer) >= 2 and answer[0] == "$" and answer[-1] == "$":
        answer = answer.strip("$").strip()
    return answer


def extract_answer(answer_region: str) -> Extraction | None:
    """The final answer of an answer region, or None when there is none."""
    boxes = find_boxes(answer_region)
    if boxes:
        items = _final_list(answer_region, boxes)
        if len(items) > 1:
            return Extraction(", ".join(i.strip() for i in items), "boxed_list", tuple(items))
        return Extraction(items[0].strip(), "boxed", (items[0],))
    best: tuple[int, str, str] | None = None
    last = deque(_ANCHORED.finditer(answer_region), maxlen=1)
    if last:
        start = last[0].end()
        line_end = answer_region.find("\n", start)
        best = (start, answer_region[start : None if line_end < 0 else line_end], "phrase")
    for m in _BOLD_LINE.finditer(answer_region):
        if best is None or m.start("a") > best[0]:
            best = (m.start("a"), m.group("a"), "bold")
    if best is None:
        return None
    text = _clean_phrase(best[1])
    # a bolded "Final Answer:" label with the value on its own line
    text = re.sub(r"^(?:final\s+)?answer\s*[:：]\s*", "", text, flags=re.I).strip()
    return Extraction(text, best[2], (text,)) if text else None
