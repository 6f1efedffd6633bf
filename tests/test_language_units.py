"""Language consistency counts one unit, words, in every script; math is not a language (short
`\\text{}` units and labels inside it included, sentences there not); and the target is the bare
question's language, whatever system message, chat template or English instruction surrounds it."""
from __future__ import annotations

import pytest

from evals.verifiers import language_consistency, text_signals
from evals.verifiers.language import question_language, question_of
from evals.verifiers.text_tokens import LETTERS_PER_WORD, count_tokens

# 52 words, counted as the trace counts them (no digits, no single letters)
ENGLISH = ["Let me compute the sum of the first ten positive integers.",
           "Pairing the first and last terms gives eleven each time.",
           "There are five such pairs, so the total should be fifty-five.",
           "Wait, let me double-check by adding them one by one.",
           "Yes, the total is fifty-five, which matches the pairing argument."]
ENGLISH_WORDS = 52
# The same reasoning in each language, with its words as that language's own segmenter counts them
# (PyThaiNLP newmm, jieba, TinySegmenter: independent of LETTERS_PER_WORD, measured on other corpora).
THAI = (["ก่อนอื่นเราจะคำนวณผลรวมของจำนวนเต็มบวกสิบตัวแรก", "ถ้าจับคู่ตัวแรกกับตัวสุดท้าย แต่ละคู่จะมีผลรวมเท่ากับสิบเอ็ด",
         "และมีทั้งหมดห้าคู่", "ดังนั้นผลรวมทั้งหมดคือห้าสิบห้า", "รอสักครู่ ลองตรวจสอบอีกครั้งโดยการบวกทีละตัว"], 44)
CHINESE = (["我们先计算前十个正整数的和。", "把第一个和最后一个配对，每一对的和都是十一，一共有五对。",
            "等一下，让我逐个相加再检查一遍。", "没错，总和是五十五。"], 38)
JAPANESE = (["まず、最初の十個の正の整数の和を計算します。", "最初と最後を組にすると、各組の和は十一になります。",
             "ちょっと待って、一つずつ足して確かめてみます。", "答えは五十五です。"], 47)
KOREAN = (["먼저 처음 열 개의 양의 정수의 합을 계산합니다.", "첫 번째와 마지막을 짝지으면 각 쌍의 합은 열하나입니다.",
           "답은 오십오입니다."], 15)  # Korean puts spaces between words: counted like English


def mixed(foreign: list[str], english_passes: int) -> str:
    """Foreign and English sentences interleaved, paragraph by paragraph."""
    english = ENGLISH * english_passes
    paragraphs = []
    for i in range(max(len(foreign), len(english))):
        paragraphs += [s for s in (foreign[i:i + 1] + english[i:i + 1])]
    return "\n\n".join(paragraphs)


# (name, sentences and their words, target language, English passes): about 70% English by words
UNIT_CASES = [("thai", THAI, "th", 2), ("chinese", CHINESE, "zh", 2), ("japanese", JAPANESE, "ja", 2),
              ("korean", KOREAN, "ko", 1)]


@pytest.mark.parametrize("name,foreign,target,passes", UNIT_CASES, ids=[c[0] for c in UNIT_CASES])
def test_english_inside_an_unspaced_script_weighs_as_many_words_as_it_has(name, foreign, target, passes):
    sentences, words = foreign
    english = ENGLISH_WORDS * passes
    share = english / (english + words)  # the English share by words: 0.68 to 0.78
    assert 0.65 < share < 0.8
    trace = mixed(sentences, passes)
    native, in_english = language_consistency(trace, target), language_consistency(trace, "en")
    assert abs((1 - native.score) - share) < 0.05, (native.score, native.languages)  # foreign share ~0.7
    assert abs(in_english.score - share) < 0.05, in_english.languages
    assert abs(native.counted - (english + words)) / (english + words) < 0.07  # about the segmenter's count


@pytest.mark.parametrize("name,foreign,target,passes", UNIT_CASES, ids=[c[0] for c in UNIT_CASES])
def test_pure_traces_are_all_target_or_all_foreign(name, foreign, target, passes):
    sentences, words = foreign
    pure = " ".join(sentences)
    assert language_consistency(pure, target).score == 1.0
    assert language_consistency(pure, "en").score == 0.0
    assert language_consistency(" ".join(ENGLISH), target).score == 0.0
    assert language_consistency(" ".join(ENGLISH), "en").counted == ENGLISH_WORDS
    assert abs(language_consistency(pure, target).counted - words) / words < 0.08


def test_a_run_counts_letters_over_letters_per_word():
    (run,) = count_tokens("ผลรวมทั้งหมด").runs  # 10 letters (the vowel and tone marks above are not letters)
    assert run.units == 10 and run.size == 10 / LETTERS_PER_WORD["THAI"]
    assert count_tokens("和" * 162).counted == pytest.approx(100)
    assert count_tokens("the sum is fifty-five").counted == 4


# ---- math is not a language ---------------------------------------------------------------------
# (name, trace, target, score): units, connectives and labels inside math are notation everywhere
MATH_CASES = [
    ("units in inline math", r"边长是 $5\text{ cm}$，速度是 $60\text{ km/h}$，所以面积是 $25\text{ cm}^2$。", "zh", 1.0),
    ("units in display math", "所以距离是\n\\[ d = 60\\text{ inches per second} \\times 2\\text{ s} \\]\n对吗？", "zh", 1.0),
    ("units in \\( \\)", r"速度是 \(60 \text{ metri al secondo}\)，时间是两小时。", "zh", 1.0),
    ("or inside math", r"解得 $x = 1 \text{ or } x = -2$，两个都满足条件。", "zh", 1.0),
    ("a label inside a subscript", r"最大值 $a_{\text{max}} = 5$ 出现在 $\text{speed} = 60$ 的时候。", "zh", 1.0),
    ("mathrm and operatorname", r"单位是 $\mathrm{km/h}$，而 $\operatorname{per ora}$ 是函数名。", "zh", 1.0),
    ("textbf, mbox, textit in math", r"长度 $5\textbf{ cm}$ 和 $3\mbox{ per ora}$ 以及 $\textit{per ora}$ 都是单位。", "zh", 1.0),
    ("bare units outside math", r"所以长度是 5\text{ cm} 加上 3\mbox{ cm}，一共 8\textbf{ cm}。", "zh", 1.0),
    ("units inside an environment", "我们得到\n\\begin{align} a &= 5\\text{ cm} \\\\ b &= 3 \\text{ per ora} \\end{align}\n所以成立。",
     "zh", 1.0),
    ("inline code", "用 `sorted(items, reverse=True)` 排序，然后取第一个元素。", "zh", 1.0),
    ("english units in an english trace", r"The speed is $60\text{ km/h}$ and the side is $5\text{ cm}$.", "en", 1.0),
]


@pytest.mark.parametrize("name,trace,target,score", MATH_CASES, ids=[c[0] for c in MATH_CASES])
def test_text_inside_math_is_notation(name, trace, target, score):
    result = language_consistency(trace, target)
    assert result.score == score, (result.languages, result.foreign)
    assert result.ignored > 0


# Near misses: a sentence inside \text{} is prose, so wrapping reasoning in math does not hide it
PROSE_IN_MATH = [
    ("english sentence in a chinese trace", "我们先算一下。$\\text{Let me check this step again very carefully now}$ 所以答案是五。",
     "zh", (0.3, 0.8), "en"),
    ("french reasoning wrapped in text", r"$\text{Donc la somme des deux premiers termes est égale à onze}$ "
     r"$\text{Vérifions encore une fois ce calcul avant de continuer}$", "en", (0.0, 0.05), "fr"),
    ("bare textbf sentence", r"\textbf{Donc la somme des deux premiers termes est égale à onze.} The answer is eleven.",
     "en", (0.1, 0.5), "fr"),
]


@pytest.mark.parametrize("name,trace,target,bounds,found", PROSE_IN_MATH, ids=[c[0] for c in PROSE_IN_MATH])
def test_a_sentence_inside_math_is_prose(name, trace, target, bounds, found):
    result = language_consistency(trace, target)
    assert result.score is not None and bounds[0] <= result.score <= bounds[1], (result.score, result.languages)
    assert found in result.languages


# ---- the target is the bare question's language -------------------------------------------------
SWAHILI = "Tafuta jumla ya namba zote kamili chanya ambazo ni chini ya mia moja na zinagawanyika kwa tatu."
SYSTEM = "You are a helpful assistant. Think carefully about the problem and explain every step of your reasoning."
R1 = "Please reason step by step, and put your final answer within \\boxed{}."
PROMPTS = [
    ("chat with an english system message", [{"role": "system", "content": SYSTEM}, {"role": "user", "content": SWAHILI}],
     "sw"),
    ("english instruction after the question", f"{SWAHILI}\n{R1}", "sw"),
    ("chatml template", f"<|im_start|>system\n{SYSTEM}<|im_end|>\n<|im_start|>user\n{SWAHILI}\n{R1}<|im_end|>\n"
                        "<|im_start|>assistant\n", "sw"),
    ("r1 template", f"<｜begin▁of▁sentence｜>{SYSTEM}<｜User｜>{SWAHILI}<｜Assistant｜><think>\n", "sw"),
    ("llama 3 template", f"<|start_header_id|>system<|end_header_id|>\n\n{SYSTEM}<|eot_id|><|start_header_id|>user"
                         f"<|end_header_id|>\n\n{SWAHILI}<|eot_id|>", "sw"),
    ("multimodal parts", [{"role": "user", "content": [{"type": "text", "text": SWAHILI}]}], "sw"),
    ("the last user turn decides", [{"role": "user", "content": SWAHILI}, {"role": "assistant", "content": "Sawa."},
                                    {"role": "user", "content": "Now explain the same problem again in English."}], "en"),
    ("english question, swahili system message", [{"role": "system", "content": SWAHILI},
                                                  {"role": "user", "content": "Find the sum of the first ten integers."}],
     "en"),
    ("no question", [{"role": "system", "content": SWAHILI}], "en"),
    # too short for the model alone ("Evaluate" is French to lid.176): the default, not a guess
    ("a one-word question", "Evaluate $\\log_264$.", "en"),
    ("three words are enough", "Calcula $2+2$ por favor.", "es"),
    ("one word of a script that names its language", "計算 $2+2$。", "zh"),
]


@pytest.mark.parametrize("name,prompt,target", PROMPTS, ids=[c[0] for c in PROMPTS])
def test_the_target_is_the_questions_language(name, prompt, target):
    assert question_language(prompt) == target
    assert language_consistency("Hmm.", prompt=prompt).target == target
    assert text_signals("<think>Sawa.</think>5", prompt=prompt)["language"].normalized == target


def test_question_of_strips_the_template_and_the_instruction():
    assert question_of(f"<|im_start|>system\n{SYSTEM}<|im_end|>\n<|im_start|>user\n{SWAHILI}\n{R1}<|im_end|>") == SWAHILI
    assert question_of(SWAHILI) == SWAHILI and question_of(None) is None and question_of([]) is None


def test_the_language_reward_takes_the_question_not_the_system_message():
    from training.rewards import RewardOptions, build_rewards

    (reward,) = build_rewards(["language"], RewardOptions())
    chat = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": f"{SWAHILI}\n{R1}"}]
    swahili_trace = ("<think>Kwanza tunahesabu jumla ya namba zote zinazogawanyika kwa tatu, kisha tunaangalia "
                     "kama jibu ni sahihi.</think>1683")
    english_trace = "<think>First we add all the multiples of three below one hundred, then we check it.</think>1683"
    assert reward([chat, chat], [swahili_trace, english_trace]) == [1.0, 0.0]  # from the prompt's last user turn
    # the dataset's question column, and an explicit language column, come first
    assert reward([SYSTEM, SYSTEM], [swahili_trace, english_trace], problem=[SWAHILI, SWAHILI]) == [1.0, 0.0]
    assert reward([chat], [english_trace], language=["en"]) == [1.0]
