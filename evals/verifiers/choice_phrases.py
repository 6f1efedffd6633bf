"""The phrases that anchor a multiple-choice decision, and those that unmake one.

Data for choice.py, kept apart so the reading logic stays short. Every pattern
is a fixed alternation of literals with bounded gaps: each scan is linear.

Answer words follow simple-evals' MULTILINGUAL_ANSWER_REGEXES (the floor) and
their obvious siblings: a word for "answer", an optional adjective ("correcta",
"đúng", "الصحيحة"), then a colon or that language's copula ("ist", "lautet",
"es", "est", "é", "è", "ni", "adalah", "là", "คือ", "是", "は", "은").
"""
from __future__ import annotations

import re

# (words, copulas, spaced): spaced words need a non-letter on both sides; words
# of unspaced scripts (CJK, Thai, Korean particles) are found inside text.
# An empty copula means the letter may follow the word directly (verb-final
# languages: "उत्तर D है", "Doğru cevap B", "정답 C").
_ANSWER_WORDS: list[tuple[str, str, bool]] = [
    (r"answer|(?:correct|best|right|final|selected|chosen)\s+(?:option|choice)",
     r"is|(?:would|should|must|will)\s+be", True),
    (r"antwort", r"ist|lautet|wäre", True),
    (r"antwoord", r"is|luidt", True),
    (r"respuesta", r"es|ser[ií]a", True),
    (r"r[ée]ponse", r"est|serait", True),
    (r"resposta", r"[ée]|seria", True),
    (r"risposta", r"[èe]|sarebbe", True),
    (r"jawaban(?:nya)?", r"adalah|ialah", True),
    (r"jibu", r"ni", True),
    (r"idahun|ìdáhùn|idáhùn|àmọ̀nà|àdáhùn|ànúgọ|àṣàyàn", r"ni", True),
    (r"ответ", r"[—–]", True),
    (r"odpowied[źz]", r"to|jest", True),
    (r"cevap", r"", True),
    (r"câu\s+trả\s+lời|đáp\s+án", r"là", True),
    (r"उत्तर", r"है|", True),
    (r"উত্তর", r"হল|", True),
    (r"الإجابة|الجواب|إجابة", r"هي|", False),
    (r"คำตอบ(?:ที่ถูกต้อง)?", r"คือ", False),
    (r"답변|정답|답", r"은|는|", False),
    (r"答え|正解|回答|解答", r"は|", False),
]
# Adjectives that may stand between the word and its copula.
_ADJ = (r"(?:\s*(?:correct[ao]?|correcte|correta|corretta|richtige|korrekte|final[e]?|sahihi"
        r"|yang\s+benar|đúng|cuối\s+cùng|النهائية|الصحيحة|النهائي))?")
_LETTER_BEFORE = r"(?<![^\W\d_])"  # not inside a word ("_" and digits are not letters)
_LETTER_AFTER = r"(?![^\W\d_])"


def _answer_pattern() -> str:
    """Spaced words behind one word-boundary check, unspaced ones after them."""
    groups: dict[bool, list[str]] = {True: [], False: []}
    for words, copulas, spaced in _ANSWER_WORDS:
        right = _LETTER_AFTER if spaced else ""
        groups[spaced].append(rf"(?:{words}){_ADJ}[\s*_]*(?:(?:{copulas}){right}|[:：=ঃ])")
    return rf"{_LETTER_BEFORE}(?:{'|'.join(groups[True])})|{'|'.join(groups[False])}"


# Strong anchors in every language but Chinese (tier 2). "<answer>" is the tag
# some prompts ask for.
# Each pattern opens with a lookahead on the first letters of its alternatives:
# the regex engine then skips other positions fast (6x on English prose).
# A word added to a table needs its first letter here.
ANSWER = re.compile(rf"(?=[abcfsrjiìàоođउউاإคด답정答正回解<])(?:{_answer_pattern()}|<answer>)", re.I)
# Chinese keeps its own source name (choice_chinese), as before.
CHINESE = re.compile(r"(?:正确答案|最终答案|答案|(?:正确|最终)选项)\s*(?:应该是|应为|應為|是|为|為|[:：])"
                     r"|答(?:复|曰)?\s*[:：]|选(?:择)?(?![项項])")
# Decisions without the word "answer": "I'd say C", "I'll go with B", "I pick A",
# "My choice: E", "Final choice: (B)", and the end of an elimination ("leaving D").
DECIDE = re.compile(
    rf"(?=[igwcpsomflr]){_LETTER_BEFORE}(?:"
    r"I(?:['’]d|['’]ll|\s+would|\s+will|['’]m\s+going\s+to|\s+am\s+going\s+to)?\s+"
    r"(?:say|go\s+with|choose|pick|select|opt\s+for|settle\s+on)"
    r"|(?:go(?:ing)?|went)\s+with|choos(?:e|ing)|pick(?:ing)?|select(?:ing)?|opt(?:ing)?\s+for"
    r"|(?:my\s+(?:final\s+)?|final\s+)(?:choice|pick|selection|decision)[\s*_]*(?:is|[:：])"
    r"|(?:leav(?:es|ing)|left\s+with)(?:\s+(?:us\s+with|only|just))?"
    r"|(?:only\s+)?remaining\s+(?:option|choice|answer)\s+is"
    rf"){_LETTER_AFTER}", re.I)
# What must follow the letter of a DECIDE phrase: verbs like "choose" also set up
# a problem ("we choose C as the origin"), so the letter must end the clause.
DECIDE_END = re.compile(r"[)）\]}*_$ \t]*(?:$|[.,;:!\n。，；：！]|because\b|since\b"
                        r"|as\s+(?:the|my|our)\s+(?:final\s+)?(?:answer|choice)\b)", re.I)
# A letter that comes before its verdict: "C is the correct answer", "Option D
# is correct.", "(B) is right", "B 正确". The verdict must end its clause, so
# "Statement B is correct only for bosons" is a remark, not a decision.
AFFIRM = re.compile(
    r"(?=[ismw是为正对])(?:(?<![^\W\d_])(?:(?:is|seems\s+to\s+be|must\s+be|would\s+be|should\s+be)\s+(?:the\s+)?"
    r"(?:(?:only\s+)?(?:correct|right|best|true)(?:\s+(?:answer|option|choice|one))?|answer)"
    r"(?=[\s*_]*(?:$|[.,;:!)\n]|because\b|since\b|as\b)))"
    r"|(?:是|为)?(?:正确|对)的?(?:答案|选项)?(?=\s*(?:$|[。，,.；;！!])))", re.I | re.M)

# Negation right before a letter (or its anchor): "not (C)", "I wouldn't choose
# B", "rather than A", "不是 C". Matched against the end of the text before it.
NEG_BEFORE = re.compile(
    r"(?:(?<![^\W\d_])(?:not|never|no|neither|nor|except|rather\s+than|instead\s+of|other\s+than"
    r"|besides|against|exclud(?:e|ing)|eliminat(?:e|ing)|rul(?:e|ing)\s+out)|n['’]t"
    r"|不是|不选|排除|除了|而非|并非|不)"
    r"[ \t*_$(（\[]*(?:(?:options?|choices?|letters?|answer|选项)[ \t*_$(（\[]*)?$", re.I)
# Negation right after a letter, or after a list of letters with a plural verb:
# "C is wrong", "Option C is not correct", "(A) and (B) can be ruled out", "C 不对"
# ("C, and B is wrong" negates B only).
_SINGULAR = r"is|was|seems|looks|does"
_PLURAL = r"are|were|seem|look|do|can|could|must|should|would|will|may|might"
_ADVERBS = r"(?:\s+(?:also|clearly|definitely|certainly|obviously|surely|safely|be|been))*"
_BAD = r"wrong|incorrect|false|invalid|impossible|unlikely|ruled\s+out|eliminated|excluded"


def _neg_verb(verbs: str) -> str:
    return (rf"[)）\]}}*_$ \t]*(?:(?:{verbs})(?:n['’]t|\s+not\b|\s+never\b|not\b)"
            rf"|(?:{verbs}){_ADVERBS}\s+(?:{_BAD})\b)")


_LIST_TAIL = r"(?:[ \t]*(?:,|/|&|\band\b|\bor\b|和|或)[ \t]*(?:options?\s*)?[(（\[]?[A-J][)）\]]?)+"
NEG_AFTER = re.compile(
    rf"{_LIST_TAIL}{_neg_verb(_PLURAL)}|{_neg_verb(_SINGULAR + '|' + _PLURAL)}"
    r"|[)）\]}*_$ \t]*(?:(?:cannot|can['’]t|wrong|incorrect)\b|不对|不正确|错误?|不是|被排除|可以排除)", re.I)
# Hedges before an anchor in the same clause: a reported or hypothetical answer
# ("Some might argue the answer is B", "It is tempting to choose B") decides nothing.
HEDGE = re.compile(
    r"(?<![^\W\d_])(?:(?:might|may|could)\s+(?:argue|think|say|claim|suggest|expect|guess"
    r"|be\s+tempted|go|choose|pick|select)|some(?:one|\s+people)?\s+(?:might|may|would|could|argue"
    r"|say|claim|think)|tempt\w*|argu\w*|suppos\w*|assum(?:e|ing)|whether)(?![^\W\d_])", re.I)
CLAUSE_END = re.compile(r"[.!?。！？\n]")
