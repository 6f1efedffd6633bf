"""Multiple-choice (GPQA-Diamond style) answers: read the chosen letter, verify it,
and present the options in a reproducible shuffled order.

Reading. Only the answer region after the last ``</think>`` is read: the
reasoning weighs every option ("maybe A", even a draft ``\\boxed{B}``) before it
decides. In the answer region (policy table: tests/cases/README.md):
1. Decisions. The last ``\\boxed{}`` that reads as a choice, joined by the
   choice boxes of its own statement (no sentence end between them):
   "$\\boxed{B}$ or $\\boxed{C}$" is one statement naming two letters. Phrases
   are read anywhere: "The answer is C", "**Answer:** (C)", "答案是 C", the
   answer words of many languages (choice_phrases.py; simple-evals'
   multilingual list is the floor, Arabic and Bengali letters read as A-D),
   "I'd go with B", "My choice: E", "C is the correct answer", "leaving D",
   ``<answer>C</answer>``. A phrase that is negated ("not (C)", "C is wrong",
   "(A) and (B) can be ruled out"), hedged ("Some might argue the answer is
   B", "tempting to choose B") or asked ("or is the answer B?") decides
   nothing; negation never selects a letter.
   Without a box the last phrase wins ("The answer is B. Hmm, or is it C? I'd
   say C." reads C). A box is retracted only by a later box; a later phrase
   deciding another letter makes the region ambiguous. The prompt asks for a
   box, so prose after it that names another letter is either a retraction or
   a remark we misread: refusing never pays for a retracted box, and never
   lets a misread remark swap the letter.
2. Else the final non-empty line alone: "option C", "(C)", "C) 3.2 eV", "C",
   "B。 不是 A". Weak forms are read there only, because summaries discuss
   every option, and not at all when that line ends a recap of the options.
A statement naming several letters ("B or C", "B o C", ``\\boxed{B, C}``) is
ambiguous, never resolved. A bare "A"/"I" that may be English ("A reasonable
guess") counts only before punctuation or a connective; an unanchored capital
never counts; Cyrillic letters never count (В is Latin B's glyph and the
Russian third option). Every pattern is linear (no repetition can match the
same text two ways, look-arounds are bounded windows) and only the last few
hundred anchors are examined, so even a hostile megabyte of answer region
reads in about a second.

Shuffling. GPQA lists the correct answer first, so options are shuffled in an
order derived from SHA-256 of the question text (plus a salt), not from a
random seed: a re-run or re-score of stored completions gives the same letters,
where unseeded shuffles in other tools change letters between runs. GPQA is a
gated dataset whose authors ask that it not appear in plain text online, so no
question text is stored here and the tests use synthetic items only.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import deque
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from . import choice_phrases as P
from .answer_region import split_answer_region
from .extract import find_boxes
from .verdict import Verdict, failure

LETTERS = "ABCDEFGHIJ"
INSTRUCTION = (
    "Please reason step by step, and put the letter of your final answer within \\boxed{}."
)


@dataclass(frozen=True)
class ChoiceExtraction:
    letter: str | None  # the decided letter, None when ambiguous
    candidates: tuple[str, ...]  # all distinct letters found in the deciding statement
    source: str  # boxed, answer_phrase, chinese, decision, option_phrase, paren, letter_paren, bare
    text: str  # the matched snippet as written


# Markup inside a box never changes the choice: commands (\text, \textbf,
# \quad), spacing, braces, dollars. "\boxed{\textbf{C}}" reads as " C ".
_BOX_NOISE = re.compile(r"\\[a-zA-Z]+|\\[,;:! ]|[{}$~]")
# Between an anchor and its letter: colons, bold marks, up to three filler words
# ("The answer is for sure D", "therefore (D)", "clearly B"), "option".
_FILLER = (r"(?:(?:for\s+sure|for\s+certain|therefore|thus|hence|so|then|clearly|definitely"
           r"|certainly|obviously|surely|undoubtedly|indeed|actually|really|still|simply|just"
           r"|likely|probably|most\s+likely|either|both)[\s,]+){0,3}")
_LEAD = re.compile(rf"[\s*_:：$]*{_FILLER}(?:answer\s*[:：]\s*)?"
                   r"(?:(?:options?|choices?|选项)\s*[为是為]?\s*)?[*_$]*\s*"
                   r"(?:\\(?:textbf|text|mathrm|mathbf)\s*\{\s*)?", re.I)
# Between two letters of one statement ("B or C", "A, C", "A和C").
# "or" and "and" in the languages of the answer phrases count too ("B o C", "B oder C").
_CONJ = (r"or|and|o|ou|oder|of|или|atau|au|veya|ya\s+da|lub|hoặc|या|अथवा|y|e|et|und|en|и|i"
         r"|dan|na|ve|và|और|أو|و")
_SEP = re.compile(r"\s*(?:,\s*(?:or\s+|and\s+)?|/|&|、|和|或者|还是|或|与|또는|및|または|と|หรือ|และ"
                  rf"|(?:{_CONJ})(?![^\W\d_]))"
                  r"\s*(?:(?:either|both|maybe|perhaps|possibly)\s+)?(?:(?:options?|choices?)\s*)?", re.I)
_PUNCT = r"[.,;:!?)\]}*$\\<。，；：！？、）—–\-،।\u3000-\u9fff]"  # also CJK: no articles there


def _ending(words: str) -> re.Pattern[str]:
    return re.compile(rf"\s*(?:$|{_PUNCT}|(?:{words})\b)", re.M | re.I)


# What must follow a bare letter that could be English ("A", "I", "a") ...
_FIRST_END = _ending("or|and|because|since|as|which|is|with")
# ... and any bare later letter of a statement ("... or C.", not "C, A photon").
_NEXT_END = _ending(r"or|and|are|both|could|might|may|would|seem\w*|depending")
# Weak anchors, read on the final line only (tier 3).
_OPTION = re.compile(r"(?<![A-Za-z])(?:options?|choices?)\b|选项", re.I)
_DECOR = " \t*_$#>-"  # markdown around a lone answer line ("**C**", "- C")
_CLOSE = re.compile(r"[}$]*")  # the closing marks of "$\text{B}$" belong to the snippet
# Two boxes are one statement unless a sentence ends between them ("3.2" does not).
_STATEMENT_END = re.compile(r"[.!?。！？](?!\d)|\n\s*\n")
_MAX_SNIPPET = 200
# Only the last few hundred boxes/anchors are examined and a statement is read
# up to 12 letters: a real answer region has a handful, a hostile one millions.
_MAX_HITS = 256
_MAX_LETTERS = 12
_WINDOW = 160  # how far around a letter negation and hedges are looked for
# Arabic and Bengali option letters (simple-evals' normalisation), A to D only:
# beyond D they are common words ("و" is "and").
_SCRIPT_LETTERS = {"أ": "A", "ب": "B", "ج": "C", "د": "D", "অ": "A", "ব": "B", "ড": "C", "ঢ": "D"}


@lru_cache(maxsize=None)
def _token(n: int) -> re.Pattern[str]:
    """A letter among the first n: parenthesised, bracketed, or bare (any width)."""
    up, lo = LETTERS[n - 1], LETTERS[n - 1].lower()
    script = "".join(k for k, v in _SCRIPT_LETTERS.items() if LETTERS.index(v) < n)
    cls = f"A-{up}a-{lo}\uff21-{chr(0xFF20 + n)}\uff41-{chr(0xFF40 + n)}{script}"
    return re.compile(rf"[(（\[](?P<p>[{cls}])[)）\]]"
                      rf"|(?P<b>[{cls}])(?![A-Za-z0-9'’_^\u0600-\u06ff\u0980-\u09ff])")


@lru_cache(maxsize=None)
def _weak(n: int) -> tuple[re.Pattern[str], ...]:
    """Final-line forms: a leading "C) " / "C. " / "B。", a capital "(C)" anywhere,
    and the label of a list item ("C) ...", "- (C) ...")."""
    up = LETTERS[n - 1]
    return (
        re.compile(rf"[\s*_#>\-]*([A-{up}])[).:：。．，]"),
        re.compile(rf"(?<![A-Za-z0-9\\])[(（]([A-{up}])[)）]"),
        re.compile(rf"[\s*_#>\-]*[(（]?[A-{up}][).:：）]"),
    )


@lru_cache(maxsize=None)
def _before(n: int) -> re.Pattern[str]:
    """The capital letter(s) that end a text, for "C is the correct answer"."""
    up = LETTERS[n - 1]
    tok = (rf"(?:(?i:options?|choices?|statements?)\s*)?"
           rf"(?:[(（\[][A-{up}][)）\]]|(?<![A-Za-z0-9'’\\])[A-{up}](?![A-Za-z0-9]))")
    return re.compile(rf"(?:{tok}\s*(?:,|/|&|\bor\b|\band\b|和|或)\s*)*{tok}[)）\]*_$}}\s]*\Z")


def _last(pattern: re.Pattern[str], text: str) -> deque[re.Match[str]]:
    """The last _MAX_HITS matches, without keeping a hostile text's millions."""
    return deque(pattern.finditer(text), maxlen=_MAX_HITS)


def _norm(letter: str) -> str:
    return _SCRIPT_LETTERS.get(letter) or unicodedata.normalize("NFKC", letter).upper()


def _bare_ok(text: str, m: re.Match[str], loose: bool) -> bool:
    """A bare letter counts if it cannot be English: C, D ... or a well-ended A/I/a."""
    if m.group("p"):
        return True
    letter = m.group("b")
    if loose or (letter.isupper() and _norm(letter) not in "AI"):
        return True
    return _FIRST_END.match(text, m.end()) is not None


def _read(text: str, pos: int, n: int, loose: bool = False) -> tuple[list[str], int] | None:
    """The letters of the statement starting at pos, and where it ends."""
    tok = _token(n)
    m = tok.match(text, _LEAD.match(text, pos).end())  # type: ignore[union-attr]
    if not m or not _bare_ok(text, m, loose):
        return None
    letters, end = [_norm(m.group("p") or m.group("b"))], m.end()
    while len(letters) < _MAX_LETTERS and (sep := _SEP.match(text, end)):
        nxt = tok.match(text, sep.end())
        if not nxt:
            break
        if nxt.group("b") and not _NEXT_END.match(text, nxt.end()):
            break  # "C, A photon ...": the second letter is prose
        letters.append(_norm(nxt.group("p") or nxt.group("b")))
        end = nxt.end()
    return letters, end


def _negated(text: str, start: int, end: int) -> bool:
    """"not (C)", "C is wrong", "(A) and (B) can be ruled out": never a choice."""
    return bool(P.NEG_BEFORE.search(text, max(0, start - 40), start)
                or P.NEG_AFTER.match(text[end : end + _WINDOW]))


def _decides(text: str, start: int, end: int) -> bool:
    """A phrase decides unless negated, hedged ("Some might argue the answer is
    B", "tempting to choose B") or asked ("Or is the answer B?")."""
    if _negated(text, start, end):
        return False
    lo = max(0, start - _WINDOW)
    lo = max((m.end() for m in P.CLAUSE_END.finditer(text, lo, start)), default=lo)
    clause = text[lo:end]  # from the clause's start to the letter: "I might go with B"
    tail = P.CLAUSE_END.search(text, end, end + _WINDOW)
    return not P.HEDGE.search(clause) and not (tail and tail.group(0) == "?")


def _make(letters: list[str], source: str, text: str) -> ChoiceExtraction:
    candidates = tuple(dict.fromkeys(letters))
    letter = candidates[0] if len(candidates) == 1 else None
    return ChoiceExtraction(letter, candidates, source, text.strip()[:_MAX_SNIPPET])


# A decision found in the region: (start, end, letters, source).
_Hit = tuple[int, int, list[str], str]


def _box_letters(content: str, n: int) -> list[str] | None:
    flat = _BOX_NOISE.sub(" ", content).strip()
    got = _read(flat, 0, n, loose=True)
    if got is None:
        return None  # \boxed{3.2 eV}: not a choice
    letters, stop = got
    rest = flat[stop:].lstrip()
    # option text may follow ("(C) 42", "C) 3.2 eV", "C 3.2 eV"), but a
    # letter that starts a word ("A photon") is prose, not a choice
    if rest[:1].isalpha() and flat[stop - 1] not in ")）]":
        return None
    return letters


def _last_box(region: str, n: int) -> _Hit | None:
    """The last choice box, joined by the boxes of its own statement: "$\\boxed{B}$
    or $\\boxed{C}$" is one ambiguous statement, not the last box."""
    boxes = [(s, e, letters) for content, s, e in find_boxes(region)[-_MAX_HITS:]
             if (letters := _box_letters(content, n)) and not _negated(region, s, e)]
    if not boxes:
        return None
    start, end, letters = boxes[-1]
    for s, e, more in reversed(boxes[:-1]):
        if _STATEMENT_END.search(region, e, start):
            break
        start, letters = s, more + letters
    return start, end, letters, "boxed"


def _phrases(region: str, n: int) -> list[_Hit]:
    """Every anchored decision of the region that is not negated or hedged."""
    hits: list[_Hit] = []
    for pattern, source in ((P.ANSWER, "answer_phrase"), (P.CHINESE, "chinese"),
                            (P.DECIDE, "decision")):
        for m in _last(pattern, region):
            got = _read(region, m.end(), n)
            if got is None or (pattern is P.DECIDE and not P.DECIDE_END.match(region, got[1])):
                continue
            if _decides(region, m.start(), got[1]):
                end = _CLOSE.match(region, got[1]).end()  # type: ignore[union-attr]
                hits.append((m.start(), end, got[0], source))
    for m in _last(P.AFFIRM, region):  # the letter comes first: "C is the correct answer"
        lead = max(0, m.start() - 60)
        got = _before(n).search(region, lead, m.start())
        if got is not None and _decides(region, got.start(), m.end()):
            letters = [_norm(t.group("p") or t.group("b"))
                       for t in _token(n).finditer(got.group(0)) if t.group(0).isupper()
                       or t.group("p")]
            source = "decision" if m.group(0).isascii() else "chinese"  # "C 正确"
            hits.append((got.start(), m.end(), letters, source))
    return sorted(hits, key=lambda h: h[0])


def _decide(region: str, n: int) -> ChoiceExtraction | None:
    """A box is retracted only by a later box; a later phrase deciding another
    letter makes the region ambiguous. Without a box the last phrase wins."""
    box, phrases = _last_box(region, n), _phrases(region, n)
    if box is None:
        if not phrases:
            return None
        start, end, letters, source = phrases[-1]
        return _make(letters, source, region[start:end])
    start, end, letters, _ = box
    later = [h for h in phrases if h[0] >= end and set(h[2]) != set(letters)]
    if later:
        letters = letters + [x for h in later for x in h[2]]
        end = later[-1][1]
    return _make(letters, "boxed", region[start:end])


def _whole_line(line: str, n: int) -> list[tuple[int, int, list[str], str, int]]:
    """The line is the statement alone ("C", "**C.**", "B or C") or starts "C) 3.2 eV"."""
    start = len(line) - len(line.lstrip(_DECOR))
    core = line[start:].rstrip(_DECOR + ".")
    got = _read(core, 0, n, loose=True)
    if got and got[1] == len(core):
        return [(start, start + len(core), got[0], "bare", start + len(core))]
    lead = _weak(n)[0].match(line)
    return [(lead.start(1), len(line), [lead.group(1)], "letter_paren", lead.end(1))] if lead else []


def _from_final_line(region: str, n: int) -> ChoiceExtraction | None:
    body = region.rstrip()
    cut = body.rfind("\n")
    line, above = body[cut + 1 :], body[: max(cut, 0)].rstrip()
    item = _weak(n)[2]
    if item.match(line) and item.match(above[above.rfind("\n") + 1 :]):
        return None  # the last item of a recap of the options, not a decision
    found = _whole_line(line, n)
    found += [(m.start(), m.end(), [m.group(1)], "paren", m.end()) for m in _last(_weak(n)[1], line)]
    for m in _last(_OPTION, line):
        got = _read(line, m.end(), n)
        if got:
            source = "chinese" if m.group(0) == "选项" else "option_phrase"
            found.append((m.start(), got[1], got[0], source, got[1]))
    found = [f for f in found if not _negated(line, f[0], f[4])]
    if not found:
        return None
    found.sort()  # every letter on the line is a candidate; the last form names the source
    letters = [x for f in found for x in f[2]]
    return _make(letters, found[-1][3], line[found[0][0] : max(f[1] for f in found)])


def extract_choice(answer_region: str, n_options: int = 4) -> ChoiceExtraction | None:
    """The deciding statement of an answer region, or None when it has none."""
    _check_count(n_options)
    return _decide(answer_region, n_options) or _from_final_line(answer_region, n_options)


def verify_choice(completion: str, gold: str, *, n_options: int = 4,
                  finish_reason: str | None = None, think_prefilled: bool = False) -> Verdict:
    """Score a completion against the gold letter; reads only the answer region."""
    _check_count(n_options)
    gold_letter = gold.strip().upper()
    if len(gold_letter) != 1 or gold_letter not in LETTERS[:n_options]:
        raise ValueError(f"gold {gold!r} is not one of {LETTERS[:n_options]} ({n_options} options)")
    region = split_answer_region(
        completion, finish_reason=finish_reason, think_prefilled=think_prefilled
    )
    if region.truncated:
        return failure("truncated")
    found = extract_choice(region.answer, n_options)
    if found is None:
        return failure("no_answer")
    details = {"candidates": list(found.candidates)}
    method = f"choice_{found.source}"
    if found.letter is None:
        return failure("ambiguous", extracted=found.text, method=method, details=details)
    ok = found.letter == gold_letter
    reason = "correct" if ok else "wrong_answer"
    return Verdict(ok, reason, found.text, found.letter, method, details=details)


@dataclass(frozen=True)
class ShuffledChoices:
    options: tuple[str, ...]  # options in presented order
    permutation: tuple[int, ...]  # permutation[i] = original index of the option shown at i
    gold_letter: str  # letter of the correct option after shuffling
    seed: str  # hex digest the order was derived from


def _check_count(n: int) -> None:
    if not 2 <= n <= len(LETTERS):
        raise ValueError(f"a multiple-choice item needs 2 to {len(LETTERS)} options, got {n}")


def shuffle_options(question: str, options: Sequence[str], correct_index: int, *,
                    salt: str = "") -> ShuffledChoices:
    """Shuffle options in an order fixed by sha256(salt + question)."""
    _check_count(len(options))
    if not 0 <= correct_index < len(options):
        raise ValueError(f"correct_index {correct_index} is out of range 0..{len(options) - 1}")
    seed = hashlib.sha256((salt + question).encode("utf-8")).hexdigest()
    # Decode the digest as a Lehmer code: independent of the `random` module's
    # algorithm, so the order cannot change with the Python version.
    code, pool, perm = int(seed, 16), list(range(len(options))), []
    for size in range(len(options), 0, -1):
        code, pick = divmod(code, size)
        perm.append(pool.pop(pick))
    shown = tuple(options[i] for i in perm)
    return ShuffledChoices(shown, tuple(perm), LETTERS[perm.index(correct_index)], seed)


def format_choice_prompt(question: str, options: Sequence[str]) -> str:
    """The question, a blank line, "A) ..." lines, a blank line, the instruction."""
    _check_count(len(options))
    lines = "\n".join(f"{LETTERS[i]}) {option}" for i, option in enumerate(options))
    return f"{question}\n\n{lines}\n\n{INSTRUCTION}"
