"""Text signals on hand-written traces: language consistency (token-type aware, next to the plain word
ratio), format, repetition loops and readability."""
from __future__ import annotations

import pytest

from evals.verifiers import check_format, language_consistency, readability, repetition, text_signals
from evals.verifiers.language import detect_language, plain_word_ratio
from evals.verifiers.readability import Thresholds, code_blocks, longest_paragraph
from evals.verifiers.registry import resolve

ENGLISH = ("Let me compute the sum of the first ten positive integers. Pairing the first and last terms gives "
           "eleven each time, and there are five such pairs. Wait, let me double-check by adding them one by one. "
           "Yes, the total is fifty-five.")
CHINESE = ("我们先计算前十个正整数的和。把第一个和最后一个配对，每一对的和都是十一，一共有五对。"
           "等一下，让我逐个相加再检查一遍。没错，总和是五十五。")
MIXED = ("我们先计算前十个正整数的和。Wait, let me pair the first and the last terms instead. "
         "每一对的和都是十一，一共有五对。So the total should be fifty-five, let me verify once more. 没错，总和是五十五。")
FRENCH = ("Calculons d'abord la somme des dix premiers entiers positifs. En associant le premier et le dernier "
          "terme, on obtient onze à chaque fois, et il y a cinq paires. Attendez, vérifions en les additionnant "
          "un par un. Oui, le total est cinquante-cinq.")
RUSSIAN = ("Сначала найдём сумму первых десяти натуральных чисел. Складывая первое и последнее число, каждый раз "
           "получаем одиннадцать, а таких пар пять. Значит, сумма равна пятидесяти пяти.")
JAPANESE = "まず、最初の十個の正の整数の和を計算します。最初と最後を組にすると、各組の和は十一になります。答えは五十五です。"
KOREAN = "먼저 처음 열 개의 양의 정수의 합을 계산합니다. 첫 번째와 마지막을 짝지으면 각 쌍의 합은 열하나입니다. 답은 오십오입니다."
CODE_HEAVY = """We need the number of pairs with an even sum, so I will write a quick brute force to check.

```python
def count_pairs(nums):
    total = 0
    for i in range(len(nums)):
        for j in range(i + 1, len(nums)):
            if (nums[i] + nums[j]) % 2 == 0:
                total += 1
    return total
print(count_pairs([1, 2, 3, 4, 5]))
```

The helper count_pairs calls range(len(nums)) twice, and for nums = [1, 2, 3, 4, 5] it prints 4.
So the loop over i_max and j_max agrees with the formula C(3,2) + C(2,2) = 4."""
CODE_HEAVY_CHINESE = """我们需要数出和为偶数的数对，先写一个暴力程序验证。

```python
def count_pairs(nums):
    return sum((a + b) % 2 == 0 for i, a in enumerate(nums) for b in nums[i + 1:])
```

函数 count_pairs 对 nums = [1, 2, 3, 4, 5] 返回 4，和公式 C(3,2) + C(2,2) = 4 一致。"""
LATEX_HEAVY = r"""We use the identity $\sum_{k=1}^{n} k = \frac{n(n+1)}{2}$ with $n = 10$.
Then \[ S = \frac{10 \cdot 11}{2} = 55, \] and indeed \(\binom{11}{2} = 55\) as well.
Checking with $$\int_0^{10} x \, dx + \frac{10}{2} = 50 + 5 = 55$$ confirms it, so the answer is \boxed{55}."""


# (name, trace, target, lowest token-aware score, highest token-aware score, main language)
LANGUAGE_CASES = [
    ("english", ENGLISH, "en", 1.0, 1.0, "en"),
    ("chinese", CHINESE, "zh", 1.0, 1.0, "zh"),
    ("mixed zh/en", MIXED, "zh", 0.4, 0.6, "en"),  # by words the halves weigh alike (per character: zh 0.75)
    ("french, target en", FRENCH, "en", 0.0, 0.05, "fr"),
    ("french, target fr", FRENCH, "fr", 0.95, 1.0, "fr"),
    ("russian", RUSSIAN, "ru", 1.0, 1.0, "ru"),
    ("japanese (kanji are Japanese here)", JAPANESE, "ja", 1.0, 1.0, "ja"),
    ("japanese, target zh", JAPANESE, "zh", 0.0, 0.05, "ja"),
    ("korean", KOREAN, "ko", 1.0, 1.0, "ko"),
    ("code-heavy english", CODE_HEAVY, "en", 1.0, 1.0, "en"),
    ("code-heavy chinese", CODE_HEAVY_CHINESE, "zh", 1.0, 1.0, "zh"),
    ("latex-heavy english", LATEX_HEAVY, "en", 1.0, 1.0, "en"),
]


@pytest.mark.parametrize("name,trace,target,low,high,main", LANGUAGE_CASES, ids=[c[0] for c in LANGUAGE_CASES])
def test_language_consistency(name, trace, target, low, high, main):
    result = language_consistency(trace, target)
    assert low <= result.score <= high, (result.score, result.languages, result.foreign)
    assert next(iter(result.languages)) == main
    assert abs(sum(result.languages.values()) - 1) < 1e-3
    assert result.counted > 0


# Where token-type awareness changes the score: (trace, target, token-aware, plain word ratio, ignored types)
AWARENESS_CASES = [
    ("code-heavy english", CODE_HEAVY, "en", 1.0, (0.45, 0.75), {"code", "identifier", "number"}),
    ("code-heavy chinese", CODE_HEAVY_CHINESE, "zh", 1.0, (0.25, 0.6), {"code", "identifier", "number"}),
    ("latex-heavy english", LATEX_HEAVY, "en", 1.0, (0.2, 0.55), {"math"}),
    ("chinese with variables", "设 a = 3，b = 4，那么 a + b = 7，所以答案是 7。", "zh", 1.0, (0.4, 0.8),
     {"identifier", "number"}),
]


@pytest.mark.parametrize("name,trace,target,aware,plain,kinds", AWARENESS_CASES, ids=[c[0] for c in AWARENESS_CASES])
def test_token_awareness_against_the_plain_word_ratio(name, trace, target, aware, plain, kinds):
    result = language_consistency(trace, target)
    assert result.score == aware
    assert plain[0] <= result.plain_ratio <= plain[1], result.plain_ratio  # the naive ratio calls notation foreign
    assert result.plain_ratio == plain_word_ratio(trace, target)
    assert kinds <= set(result.ignored_by_type) and result.ignored == sum(result.ignored_by_type.values())


def test_the_plain_ratio_cannot_tell_french_from_english():
    assert plain_word_ratio(FRENCH, "en") > 0.8  # Latin letters, so "English" to a script count
    assert language_consistency(FRENCH, "en").score < 0.05


def test_a_foreign_sentence_inside_an_english_trace_is_found_and_shown():
    trace = ENGLISH + " Donc la réponse est cinquante-cinq, vérifions encore une fois. " + ENGLISH
    result = language_consistency(trace, "en")
    assert 0.8 < result.score < 0.97 and "fr" in result.languages
    assert any(f.startswith("[fr]") and "réponse" in f for f in result.foreign)


def test_english_fragments_that_fool_the_model_alone_stay_english():
    # each fragment, read alone, is Italian, Serbian or Russian to lid.176; in context it is English
    trace = ("He earns 12 rupees per hour and works 8 hours. To convert to base 5, we divide repeatedly. "
             "She buys 3 pairs of pants. Thus the total is 96 rupees. Hmm. OK.")
    result = language_consistency(trace, "en")
    assert result.score == 1.0, result.foreign


def test_target_defaults_to_the_prompts_language():
    assert detect_language("Find the sum of all integer bases $b>9$ for which $17_b$ divides $97_b$.") == "en"
    assert detect_language("求所有整数底数 $b>9$ 的和，使得 $17_b$ 整除 $97_b$。") == "zh"
    assert detect_language("Trouvez la somme de toutes les bases entières $b>9$ telles que $17_b$ divise $97_b$.") == "fr"
    assert detect_language("$x^2 = 4$") == "en"  # no words: the default
    assert language_consistency(CHINESE, prompt="计算前十个正整数的和。").target == "zh"


def test_a_trace_without_words_has_no_score_and_passes():
    result = language_consistency(r"$$\frac{1}{2} + \frac{1}{3} = \frac{5}{6}$$ 42")
    assert result.score is None and result.counted == 0
    verdict = resolve("language")(r"<think>$$x^2 = 4$$</think>\boxed{2}", target_language="en")
    assert verdict.correct and verdict.score == 1.0


def test_language_verdict_reads_the_reasoning_only():
    completion = f"<think>{CHINESE}</think>The answer is \\boxed{{55}}."
    verdict = resolve("language")(completion, target_language="zh")
    assert verdict.correct and verdict.score == 1.0 and verdict.reason == "correct"
    mixed = resolve("language")(f"<think>{MIXED}</think>55", target_language="zh")
    assert not mixed.correct and mixed.reason == "mixed_language" and mixed.details["foreign"]


# ---- format ------------------------------------------------------------------------------------
FORMAT_CASES = [
    ("<think>\nreason\n</think>\nThe answer is \\boxed{5}.", {}, []),
    ("reason</think>The answer is 5", {"think_prefilled": True}, []),
    ("<think>reason</think>", {}, ["nothing after </think>"]),
    ("<think>reason, cut at the limit", {"finish_reason": "length"},
     ["stopped at the token limit", "thinking never closed (no </think>)"]),
    ("<think>a</think>b</think>c", {}, ["</think> appears 2 times"]),
    ("<think>a<think>b</think>c", {}, ["<think> appears 2 times"]),
    ("Sure! <think>a</think>5", {}, ["text before <think>"]),
    ("<think>a</think>5", {"think_prefilled": True}, ["<think> opened again, though the prompt already opened it"]),
    ("<think> </think>5", {}, ["empty thinking"]),
    ("The answer is 5", {}, ["no <think>", "thinking never closed (no </think>)"]),
    ("<think>a</think>The answer is 5", {"require_boxed": True}, ["no \\boxed{} answer"]),
    ("<think>a</think> <answer>5</answer>", {"template": "r1_zero"}, []),
    ("<think>a</think>so <answer>5</answer> done", {"template": "r1_zero"},
     ["text between </think> and <answer>", "text after </answer>"]),
    ("<think>a</think>5", {"template": "r1_zero"},
     ["expected one <answer>…</answer> after </think>, found 0 opening and 0 closing tags"]),
    ("<think>a</think><answer> </answer>", {"template": "r1_zero"}, ["empty answer"]),
]


@pytest.mark.parametrize("completion,options,problems", FORMAT_CASES)
def test_format(completion, options, problems):
    result = check_format(completion, **options)
    assert result.problems == problems and result.ok == (not problems)
    verdict = resolve("format")(completion, **options)
    assert verdict.correct == result.ok and verdict.reason == ("correct" if result.ok else "wrong_format")


def test_unknown_template_is_refused():
    with pytest.raises(ValueError, match="r1_zero"):
        check_format("<think>a</think>b", "chatml")


# ---- repetition --------------------------------------------------------------------------------
OPENING = "Let me find the area of the triangle with sides 3, 4 and 5. It is a right triangle. "


def test_a_sentence_loop_until_the_limit_is_found_even_when_cut_mid_word():
    unit = "Wait, let me recompute the area: half of 3 times 4 is 6. "
    result = repetition(OPENING + unit * 30 + "Wait, let me recom")
    assert result.loop and result.loop_unit_tokens == 16 and result.loop_repeats >= 30
    assert result.loop_share > 0.9 and "recompute the area" in result.loop_unit
    assert result.ngram_rate > 0.85


def test_a_chinese_loop_and_a_paragraph_loop():
    zh = repetition("首先计算面积。" + "等等，让我重新计算一下面积，三乘四除以二等于六。" * 20)
    assert zh.loop and zh.loop_unit_tokens == 24
    paragraph = ("Let me reconsider. The base is 3 and the height is 4, so the area is half of twelve. "
                 "But maybe the sides are different; let me re-read the problem statement carefully.\n\n")
    para = repetition(OPENING + paragraph * 6)
    assert para.loop and para.loop_unit_tokens > 30 and para.loop_repeats >= 5


def test_no_loop_in_ordinary_reasoning_or_short_repeats():
    assert not repetition(ENGLISH * 2).loop  # a repeated passage, but only twice
    assert not repetition("Final answer: 5. " * 5).loop  # too short to be a degenerate loop
    assert not repetition(LATEX_HEAVY).loop and repetition(LATEX_HEAVY).ngram_rate < 0.1
    escaped = OPENING + "Wait, again. " * 40 + "Oh, I see my mistake. The area is 6, so the answer is \\boxed{6}."
    result = repetition(escaped)
    assert not result.loop and result.ngram_rate > 0.5  # it broke out: no tail loop, but a high n-gram rate


def test_repetition_verdict():
    looping = resolve("repetition")(OPENING + "Hmm, so the area is 6. " * 40)
    assert not looping.correct and looping.reason == "repetition_loop"
    assert resolve("repetition")(ENGLISH).correct
    strict = resolve("repetition")(ENGLISH * 3, max_ngram_rate=0.3)
    assert not strict.correct and strict.details["ngram_rate"] > 0.3


# ---- readability -------------------------------------------------------------------------------
def test_readability_checks_return_value_threshold_and_pass():
    wall = " ".join(["word"] * 700)
    checks = {c.name: c for c in readability(f"Short start.\n\n{wall}\n\nShort end.", target_language="en")}
    assert checks["longest_paragraph"].value == 700 and not checks["longest_paragraph"].passed
    assert checks["code_blocks"].value == 0 and checks["code_blocks"].passed
    loose = {c.name: c for c in readability(wall, Thresholds(max_paragraph_words=800), target_language="en")}
    assert loose["longest_paragraph"].passed and loose["longest_paragraph"].threshold == 800


def test_readability_counts_cjk_paragraphs_in_words_and_code_blocks():
    assert longest_paragraph("短。\n\n" + "字" * 700) == round(700 / 1.62)  # in words, as every script
    assert code_blocks(CODE_HEAVY) == 1 and code_blocks("```python\nprint(1)") == 1  # unclosed counts
    verdict = resolve("readability")(f"<think>{CODE_HEAVY}</think>4", target_language="en")
    assert not verdict.correct and verdict.reason == "code_in_reasoning"
    assert resolve("readability")(f"<think>{CODE_HEAVY}</think>4", target_language="en", max_code_blocks=1).correct
    mixed = resolve("readability")(f"<think>{MIXED}</think>55", target_language="zh")
    assert mixed.reason == "mixed_language" and mixed.details["failed"] == ["mixed_language"]


def test_text_signals_bundle():
    found = text_signals(f"<think>{ENGLISH}</think>The answer is \\boxed{{55}}.", prompt="Sum 1 to 10.")
    assert set(found) == {"language", "format", "repetition", "readability"}
    assert all(v.correct for v in found.values())
    bad = text_signals(f"{MIXED}" + "等等，让我再算一遍这一步。" * 30, think_prefilled=True, finish_reason="length")
    assert {name for name, v in bad.items() if not v.correct} == {"language", "format", "repetition", "readability"}


def test_identifying_only_likely_languages_changes_no_decision(monkeypatch):
    """identify() leaves out languages under IDENTIFY_FLOOR; every result must be what the model's whole
    list gives (the floor is below PRIOR_FLOOR and below a run's least candidate)."""
    from evals.verifiers import language

    assert language.IDENTIFY_FLOOR < language.PRIOR_FLOOR
    assert language.IDENTIFY_FLOOR <= language.MIN_CONFIDENCE * language.PRIOR_FLOOR
    german = "Wir berechnen zuerst die Summe der ersten zehn Zahlen und dann pruefen wir das Ergebnis."
    texts = [ENGLISH, MIXED, FRENCH, RUSSIAN, JAPANESE, CODE_HEAVY, CODE_HEAVY_CHINESE, LATEX_HEAVY,
             ENGLISH + "\n\n" + german + "\n\n" + CHINESE + " Thus the answer is 55, feet per inch per minute."]

    def results() -> list:
        language.identify.cache_clear()
        return [(language_consistency(t), language_consistency(t, "fr"), language.detect_language(t)) for t in texts]

    floored = results()
    short = {t: language.identify(t) for t in (ENGLISH, FRENCH, german, CHINESE)}
    monkeypatch.setattr(language, "IDENTIFY_FLOOR", 0.0)  # the model's whole list every time
    whole = results()
    language.identify.cache_clear()
    assert floored == whole
    for text, scores in short.items():  # exactly the likely part of the whole list, in its order
        full = language.identify(text)
        if "zh" in scores:  # a language summed over labels: the whole list, so its sum is exact
            assert scores == full
        else:
            assert scores == {lang: p for lang, p in full.items() if p >= 0.01} and len(scores) < len(full)
