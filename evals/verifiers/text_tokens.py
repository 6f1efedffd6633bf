"""Token-type aware reading of a reasoning trace: which tokens are natural language, which are not.

The paper's language-consistency reward counts "words of the target language". Counted naively, a
chain of thought full of LaTeX, code, numbers and variable names looks foreign (or, in a Chinese
trace, looks English). Here those tokens are recognised and set aside:

- masked first, as spans: fenced code blocks, inline code, display and inline math ($…$, $$…$$,
  \\(…\\), \\[…\\], \\begin…\\end), bare LaTeX commands with their arguments, URLs and e-mail addresses;
- then, token by token: numbers (also 3rd, 50%), identifiers (snake_case, camelCase, x1, np.array,
  f( …), single-letter variables, and words glued to math operators (`ab = 12`).

What is left are natural-language words, grouped into runs (same script, no sentence break between)
that are the unit a language identifier reads. Every script is counted in one unit, words: scripts
written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Myanmar) by their letters
over the measured letters per word of the language (LETTERS_PER_WORD), so an English word weighs the
same in a Thai trace as a Thai word in an English one.

`\\text{}` and its kin inside math are notation (units, "or", labels), set aside with the math; an
argument of PROSE_WORDS words or more is a sentence, and counts, so wrapping prose in `$\\text{…}$`
does not hide its language.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

_BRACED = r"\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\}"  # braces nested up to three deep
# (kind, pattern, substrings of which a match holds one: a text without any is not scanned at all)
_SPANS = [
    ("code", re.compile(r"(```|~~~)[^\n]*\n.*?(?:\1|\Z)", re.S), ("```", "~~~")),  # an unclosed fence runs to the end
    ("code", re.compile(r"`[^`\n]+`"), ("`",)),
    ("math", re.compile(r"\$\$.+?\$\$|\\\[.+?\\\]|\\\(.+?\\\)", re.S), ("$$", "\\[", "\\(")),
    ("math", re.compile(r"\\begin\{([A-Za-z]+\*?)\}.*?\\end\{\1\}", re.S), ("\\begin",)),
    # pandoc's rule for inline $: no space inside either dollar, no digit right after the closing one
    # (the $ first, then the look back at what precedes it: the scan jumps from $ to $)
    ("math", re.compile(r"\$(?<![\\$]\$)(?=[^\s$])(?:\\\$|[^$\n])*?(?<=[^\s\\])\$(?!\d)"), ("$",)),
    ("math", re.compile(r"\\[A-Za-z]+\*?(?:\s*(?:" + _BRACED + r"|\[[^\]\n]*\]))*"), ("\\",)),
    ("url", re.compile(r"\b(?:https?://|ftp://|www\.)\S+?(?=[.,;:!?)\]'\"]*(?:\s|$))|\b[\w.+-]+@[\w-]+\.\w+"),
     ("://", "www.", "@")),
    ("tag", re.compile(r"</?(?:think|answer|summary)>"), ("<",)),
]
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:st|nd|rd|th|s)?")
_CAMEL = re.compile(r"[a-z][A-Z]|[A-Z]{2,}[a-z]")
# Function and operator names written without a backslash: notation, not words.
MATH_WORDS = frozenset("sin cos tan cot sec csc arcsin arccos arctan sinh cosh tanh log ln lg exp lim sup inf "
                       "max min gcd lcm mod det deg sqrt".split())
_VOWEL = re.compile(r"[aeiouyAEIOUY]")
_OPERATORS = set("=+*/^<>≤≥≠×÷|∈∉⊂∪∩→←≈≡±∑∏√")
# Scripts written without spaces between words (Korean has spaces: a Hangul word counts one, like Latin).
CHAR_SCRIPTS = frozenset({"HAN", "HIRAGANA", "KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR"})
# Letters (str.isalpha: Thai vowel and tone marks are not letters) per word of the language's standard
# segmentation: sum(frequency x letters) / sum(frequency) over each list's words of that script:
# - HAN 1.62: wordfreq 3.1.1 large_zh (jieba-segmented Wikipedia, subtitles, news, web; 297k words);
# - kana 1.65: wordfreq 3.1.1 large_ja (MeCab-segmented; 143k words; 1.62 on small_ja);
# - THAI 3.22: the Thai National Corpus list in PyThaiNLP 5.4 (tnc_freq.txt, 52k words; its textbook
#   corpus list ttc_freq.txt gives 3.02). A trace 70% English by words thus scores 0.7 foreign for Thai,
#   where a count per letter gave 0.43.
# - LAO, KHMER, MYANMAR: not measured (no segmented corpus at hand); Thai's figure, the nearest script
#   written the same way (an abugida without spaces between words).
LETTERS_PER_WORD = {"HAN": 1.62, "HIRAGANA": 1.65, "KATAKANA": 1.65, "THAI": 3.22, "LAO": 3.22, "KHMER": 3.22,
                    "MYANMAR": 3.22}
# Text inside math (\text{ km/h}, \text{ or }, a_{\text{max}}) is notation; this many words or more is prose.
PROSE_WORDS = 5
_TEXT_ARG = re.compile(r"\\(?:text(?:bf|it|rm|sf|normal)?|mbox|hbox|emph)\s*\{([^{}$]*)\}")


@dataclass(slots=True)  # a trace makes hundreds: slots make them quicker to build and read
class Run:
    """Natural-language words of one script with no sentence break between them."""
    script: str
    words: list[str] = field(default_factory=list)  # the counted words
    read: list[str] = field(default_factory=list)  # the words and single letters, for identification
    units: int = 0  # words, or letters for CHAR_SCRIPTS
    sentence: int = 0  # index of the sentence it belongs to (runs of several scripts share one)

    @property
    def size(self) -> float:
        """Words: letters over the script's letters per word where words are not spaced."""
        return self.units / LETTERS_PER_WORD.get(self.script, 1)

    @property
    def text(self) -> str:
        return ("" if self.script in CHAR_SCRIPTS else " ").join(self.read)


@dataclass
class TokenCount:
    runs: list[Run]
    counted: float  # natural-language words (the sum of the runs' sizes)
    ignored: Counter  # type -> tokens set aside: code, math, url, number, identifier

    @cached_property
    def sentence_scripts(self) -> dict[int, set[str]]:
        """Sentence index -> the scripts of its runs (to tell Japanese kanji from Chinese); found when asked,
        which only a trace with Han runs does."""
        scripts: dict[int, set[str]] = {}
        for run in self.runs:
            scripts.setdefault(run.sentence, set()).add(run.script)
        return scripts


@lru_cache(maxsize=8192)
def script_of(char: str) -> str:
    """The Unicode script family of a letter: LATIN, CYRILLIC, HAN, HIRAGANA, HANGUL ..."""
    if "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or "\uf900" <= char <= "\ufaff":
        return "HAN"
    name = unicodedata.name(char, "")
    if name.startswith("CJK"):
        return "HAN"
    if name.startswith("HALFWIDTH KATAKANA"):
        return "KATAKANA"
    word = name.split(" ", 1)[0]
    return "LATIN" if word in ("", "FULLWIDTH") else word


_WORD = re.compile(r"\w+")
# An ASCII text's bytes as b"1" (a word character: \w of ASCII, [A-Za-z0-9_]) or b"0": its words, the runs
# of b"1", are counted in C by bytes.count, 10x faster than a regex's list of them on a whole paragraph.
ASCII_WORD_MARKS = bytes(49 if chr(i).isascii() and (chr(i).isalnum() or chr(i) == "_") else 48 for i in range(256))


def word_count(text: str) -> int:
    """Words of any kind in ``text`` (a token of a script without spaces counts its letters over
    LETTERS_PER_WORD)."""
    if text.isascii():  # most math and code spans: one word a token
        marks = text.encode().translate(ASCII_WORD_MARKS)
        return marks.count(b"01") + marks.startswith(b"1")
    return round(sum(1 if t.isascii() or not (c := _first_letter(t)) or script_of(c) not in CHAR_SCRIPTS
                     else sum(ch.isalpha() for ch in t) / LETTERS_PER_WORD[script_of(c)]
                     for t in _WORD.findall(text)))


def _first_letter(token: str) -> str:
    return next((c for c in token if c.isalpha()), "")


def mask_spans(text: str) -> tuple[str, Counter]:
    """Replace code, math, URLs and tags with a space; tally the words they held, by type."""
    ignored: Counter = Counter()
    for kind, pattern, needs in _SPANS:
        if not any(literal in text for literal in needs):
            continue
        def blank(match: re.Match, kind: str = kind) -> str:
            span = match.group(0)
            # keep line breaks (they end sentences) and one space where a span sat inside a line
            gap = "\n" * span.count("\n") or " "
            # a substring test first: most math spans hold no \\text{} at all
            text_like = kind == "math" and ("\\text" in span or "box" in span or "\\emph" in span)
            prose = _prose_in_math(span) if text_like else []
            if kind != "tag":
                ignored[kind] += word_count(span) - sum(map(word_count, prose)) if prose else word_count(span)
            return f"{gap}{' '.join(prose)}{gap}" if prose else gap
        text = pattern.sub(blank, text)
    return text, ignored


def _prose_in_math(span: str) -> list[str]:
    """The arguments of \\text{} and its kin in a math span that are sentences, not notation."""
    return [arg for arg in _TEXT_ARG.findall(span) if word_count(arg) >= PROSE_WORDS]


_OPERATOR_CLASS = "[" + "".join(re.escape(c) for c in sorted(_OPERATORS)) + "]"
# One scan of the masked text: tokens, each with what follows it ("(" past up to 2 spaces: a call f (x);
# an operator past up to 2 spaces: `ab = 12`), sentence breaks, and the operators a token follows
# (past up to 7 spaces: `= ab`, n^k). \s is str.isspace, as the str.strip of the rule's definition. A
# group inside a lookahead captures without consuming, so findall reports the context as non-empty strings.
# A stretch first: two or more ASCII-letter words joined by " " or ", " whose last one is a whole token (no
# \w or ' . - and \w after it) with no "(" or operator after it: each word in it is a token of its own
# in the context "none" (nothing but a space or comma follows the others), so the loop can take the
# stretch whole when all its words are plain words (see count_tokens).
# The scan's speed (the same matches): a look ahead at a character that can start one of its four kinds skips
# the others at once, and a stretch's words are possessive (a word cut short is followed by a letter, which
# the stretch's end forbids, so giving letters back never finds a match): 0.71 -> 0.62 ms on a trace.
_SCAN = re.compile(r"(?=[\w.!?;:\n。！？；：" + _OPERATOR_CLASS[1:-1] + r"])"
                   r"(?:([A-Za-z]++(?:,? [A-Za-z]++)+)(?!\w|['’.\-]\w|\s{0,2}(?:\(|" + _OPERATOR_CLASS + r"))"
                   r"|(\w+(?:['’.\-]\w+)*)(?:(?=(\s{0,2}\())|(?=(\s{0,2}" + _OPERATOR_CLASS + r"))|)"
                   r"|([.!?;:\n。！？；：]+)|(" + _OPERATOR_CLASS + r")(?=\s{0,7}\w))")
_NO_CONTEXT, _CALL, _OPERAND = 0, 1, 2  # the token's context: none, followed by "(", next to an operator


def _token_kinds(token: str) -> tuple[str | None, str | None]:
    """What the token's own characters say, before and after the "followed by (" test of
    ``_non_word_type`` (the context tests, which cannot be cached by token)."""
    if _NUMBER.fullmatch(token) or token.rstrip("%").replace(".", "").isdigit():
        return "number", None
    if any(c.isdigit() for c in token) or "_" in token or _CAMEL.search(token):
        return "identifier", None
    if "." in token and all(len(p) > 1 for p in token.split(".")):  # np.array, math.gcd (not e.g)
        return "identifier", None
    if len(token) == 1 or token[-1] in "'’" and len(token) == 2:
        return "identifier", None  # x, θ, x'
    if token.lower() in MATH_WORDS:
        return None, "math"
    if len(token) <= 3 and token.isascii() and not _VOWEL.search(token):
        return None, "identifier"  # dx, dh, pq: no vowel, no word
    return None, None


def _non_word_type(token: str, context: int) -> str | None:
    """Why a token is not a natural-language word, or None when it is one: its own characters first,
    then a call f(x), sqrt(2), then its kind as a word (math, identifier), then a neighbouring
    operator (ab = 12, n^k)."""
    alone, as_word = _token_kinds(token)
    if alone:
        return alone
    if context == _CALL:
        return "identifier"
    return as_word or ("identifier" if context == _OPERAND else None)


# (piece, script or None when it is not read, kind tallied as ignored or None, size) for each piece of a
# token in a context: traces repeat their words, so a token is decided once per context (bounded).
Action = tuple[str, "str | None", "str | None", int]
_ACTIONS: tuple[dict[str, tuple[Action, ...]], ...] = ({}, {}, {})
# The tokens whose action in context "none" is to be read and counted as one Latin word (the most
# common by far): a stretch of these is taken in one go (count_tokens).
_PLAIN: set[str] = set()


def _actions(token: str, context: int) -> tuple[Action, ...]:
    cache = _ACTIONS[context]
    actions = cache.get(token)
    if actions is None:
        actions = cache[token] = _token_actions(token, context)
        if context == _NO_CONTEXT and actions == ((token, "LATIN", None, 1),):
            _PLAIN.add(token)
    return actions


# stretch -> (words read, words counted, kinds tallied in order): traces repeat their phrases ("Let me
# check", "so the answer is"), so a stretch's effect is found once (bounded, and emptied with _ACTIONS)
_STRETCHES: dict[str, tuple[list[str], list[str], tuple[str, ...]]] = {}


def _stretch_effect(stretch: str) -> tuple[list[str], list[str], tuple[str, ...]]:
    """What the actions of a stretch's words (each in context "none", one Latin piece) do, in order."""
    tokens = stretch.replace(",", "").split(" ")
    if _PLAIN.issuperset(tokens):
        return tokens, tokens, ()
    actions = [_actions(t, _NO_CONTEXT)[0] for t in tokens]
    return ([piece for piece, script, _, _ in actions if script], [piece for piece, _, _, size in actions if size],
            tuple(kind for _, _, kind, _ in actions if kind))


def _token_actions(token: str, context: int) -> tuple[Action, ...]:
    pieces = ((token, "LATIN"),) if token.isascii() and token.isalpha() else _split_scripts(token)
    actions = []
    for piece, script in pieces:
        if script in CHAR_SCRIPTS:  # letters: Run.size turns them into words
            actions.append((piece, script, None, sum(c.isalpha() for c in piece)))
            continue
        kind = _non_word_type(piece, context)
        if (kind or script == "NONE") and (len(piece) > 1 or script == "NONE" or piece.isascii() and piece not in "aA"):
            actions.append((piece, None, kind or "number", 0))  # x, y (Spanish "and" to a language model) are variables
        else:  # a word; or a single letter ("a", "é"): not counted, but it helps identify
            actions.append((piece, script, kind, 0 if kind else 1))
    return tuple(actions)


def count_tokens(text: str) -> TokenCount:
    """Natural-language runs of ``text`` and the tally of what was set aside."""
    masked, ignored = mask_spans(text)
    runs: list[Run] = []
    # the current run, its script and lists held in locals (the loop runs once a token); units added at its end
    current, script_now, read, words, units = None, "", [], [], 0
    sentence = 0
    if sum(map(len, _ACTIONS)) >= 200_000:
        for cache in _ACTIONS:
            cache.clear()
        _PLAIN.clear()
        _STRETCHES.clear()
    elif len(_STRETCHES) >= 100_000:  # ~35 MB; distinct phrases grow far faster than distinct words
        _STRETCHES.clear()
    operand = False  # an operator precedes the next token (only spaces and line breaks between)
    stretches = _STRETCHES
    for stretch, token, call, operator_after, brk, _operator in _SCAN.findall(masked):
        if stretch and not operand:  # ASCII words in context "none": their actions in one go
            effect = stretches.get(stretch)
            if effect is None:
                effect = stretches[stretch] = _stretch_effect(stretch)
            read_now, counted, kinds = effect
            for kind in kinds:
                ignored[kind] += 1
            if read_now:  # all Latin: one run
                if script_now != "LATIN":
                    if current is not None:
                        current.units = units
                    current = Run("LATIN", [], [], 0, sentence)
                    runs.append(current)
                    script_now, read, words, units = "LATIN", current.read, current.words, 0
                read.extend(read_now)
                words.extend(counted)
                units += len(counted)
            continue
        if stretch:  # the first word follows an operator
            tokens = stretch.replace(",", "").split(" ")
            actions = list(_actions(tokens[0], _OPERAND))
            for word in tokens[1:]:
                actions += _actions(word, _NO_CONTEXT)
        elif not token:
            if brk:  # a sentence break
                script_now, sentence = "", sentence + 1
            else:
                operand = True
            continue
        else:
            context = _CALL if call else _OPERAND if operand or operator_after else _NO_CONTEXT
            actions = _ACTIONS[context].get(token) or _actions(token, context)
        operand = False
        for piece, script, kind, size in actions:
            if kind:
                ignored[kind] += 1
            if script is None:
                continue
            if script != script_now:  # a run has one script and sentence
                if current is not None:
                    current.units = units
                current = Run(script, [], [], 0, sentence)
                runs.append(current)
                script_now, read, words, units = script, current.read, current.words, 0
            read.append(piece)
            if size:
                words.append(piece)
                units += size
    if current is not None:
        current.units = units
    # summed run by run, as language_consistency sums a language's share: a trace in one language is 1.0 exactly
    return TokenCount(runs, sum(run.size for run in runs), ignored)


def _split_scripts(token: str) -> list[tuple[str, str]]:
    """A token cut where its script changes ("计算x" -> 计算, x). Digits, _ and marks join the piece
    before them, except after a script without spaces, where digits stand alone ("第3个" -> 第, 3, 个)."""
    pieces: list[tuple[str, str]] = []
    for char in token:
        script = script_of(char) if char.isalpha() else None
        prev = pieces[-1][1] if pieces else None
        mark = script is None and unicodedata.category(char).startswith("M")
        if prev is not None and (script == prev or (script is None and (prev not in CHAR_SCRIPTS or mark))
                                 or (prev == "NONE" and script not in CHAR_SCRIPTS)):
            pieces[-1] = (pieces[-1][0] + char, script if prev == "NONE" and script else prev)
        else:
            pieces.append((char, script or "NONE"))
    return pieces
