"""How well language consistency tells foreign text from the target language, on real traces.

    python scripts/eval_language_id.py [--traces 600] [--plant 300]

False foreign: real English R1-family traces of English prompts (../shared/data/replay) should score
1.0; the script prints their mean and how many fall below 0.99 and 0.95, with the runs it called
foreign. Recall: a foreign sentence (French, German, Spanish, Italian, Portuguese, Russian or
Chinese, two to seven words) is planted between two paragraphs of a real trace; a hit is a score
below 1.0. Sentences of one or two words are too short to identify by design (MIN_RUN_WORDS).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evals.verifiers.language import language_consistency  # noqa: E402

FOREIGN = {
    "fr": ["Donc la réponse est quatre.", "Vérifions encore une fois ce calcul.", "Attendez, je me suis trompé.",
           "Calculons d'abord la somme des termes.", "C'est bon."],
    "de": ["Also ist die Antwort vier.", "Moment, ich habe mich verrechnet.", "Wir prüfen das noch einmal.",
           "Das stimmt."],
    "es": ["Entonces la respuesta es cuatro.", "Espera, me equivoqué en este paso.", "Vamos a comprobarlo otra vez.",
           "Está bien."],
    "it": ["Quindi la risposta è quattro.", "Aspetta, ho sbagliato il calcolo.", "Va bene."],
    "pt": ["Portanto a resposta é quatro.", "Espere, errei nesta conta.", "Vamos verificar de novo."],
    "ru": ["Поэтому ответ четыре.", "Подождите, я ошибся.", "Проверим ещё раз."],
    "zh": ["所以答案是四。", "等一下，我算错了。", "我们再检查一遍。"],
}


def traces(limit: int) -> list[str]:
    found = []
    for name in ("tldr7b_math500_n1.json", "tldr14b_math500_n1.json"):
        path = ROOT.parent / "shared" / "data" / "replay" / name
        if path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            found += [r["content"] for item in data.values() for rs in item["responses"].values() for r in rs
                      if r.get("content")]
    if not found:
        sys.exit("no replay data: set up ../shared/data/replay (see its README)")
    return found[:limit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--traces", type=int, default=600, help="real English traces to score")
    parser.add_argument("--plant", type=int, default=300, help="traces to plant a foreign sentence in")
    args = parser.parse_args()
    english = traces(args.traces)
    scores = []
    for text in english:
        result = language_consistency(text, "en")
        scores.append(1.0 if result.score is None else result.score)
        if scores[-1] < 0.99:
            print(f"  false foreign: {scores[-1]:.3f} {result.foreign}")
    print(f"english traces: {len(scores)}, mean consistency {sum(scores) / len(scores):.4f}, "
          f"below 0.99: {sum(s < 0.99 for s in scores)}, below 0.95: {sum(s < 0.95 for s in scores)}")
    rnd, hits, missed = random.Random(0), 0, {}
    for text in english[:args.plant]:
        lang = rnd.choice(list(FOREIGN))
        sentence = rnd.choice(FOREIGN[lang])
        paragraphs = text.split("\n\n")
        paragraphs.insert(rnd.randrange(len(paragraphs) + 1), sentence)
        found = language_consistency("\n\n".join(paragraphs), "en").score < 1.0
        hits += found
        if not found:
            missed[sentence] = missed.get(sentence, 0) + 1
    print(f"planted foreign sentences found: {hits}/{args.plant} ({100 * hits / args.plant:.0f}%)")
    print(f"missed: {missed}")


if __name__ == "__main__":
    main()
