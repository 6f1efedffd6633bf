"""Stage 3b, the LLM judge: for prompts whose reference no rule can check (free-form answers,
proofs, open questions), a model compares the reference with the sample's final answer, as the
paper did with DeepSeek-V3. Any OpenAI-compatible endpoint (vLLM, SGLang, an API):

    python -m curation judge --base-url http://127.0.0.1:8000/v1 --judge-model Qwen/Qwen2.5-72B-Instruct

Only the answer after `</think>` is shown to the judge, never the reasoning. Its reply must start
with CORRECT or INCORRECT; anything else is stored as undecided (correct NULL) with the reply, so
the sample stays `unverified`. Judgments go to `judgments` (one per sample and judge) and the
filter stage prefers them to the rule verdict; re-running judges only what is missing.

Not the code judge: evals/judge/ runs programs against tests in a sandbox (`python -m evals judge`,
and as the verifier kind `code`). This one asks a language model, for prompts whose verifier is
`judge`; its CLI stage keeps the name `judge` (`python -m curation judge`) so scripts and config
sections written for it still work.
"""
from __future__ import annotations

import json
import re
import sys
import time
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from evals.backends import Request, Sampling, open_backend
from evals.errors import UsageError
from evals.verifiers import split_answer_region
from evals.verifiers.answer_region import sample_for_verifier

TEMPLATE = """You are grading an answer to a problem against the reference answer.

Problem:
{problem}

Reference answer:
{reference}

Answer to grade:
{answer}

Is the answer to grade equivalent to the reference answer? Reply with exactly one word, CORRECT or INCORRECT."""
_VERDICT = re.compile(r"^\W*(CORRECT|INCORRECT)\b", re.I)
MAX_ANSWER_CHARS = 4000


@dataclass
class JudgeOptions:
    """Every field is a flag of `python -m curation judge`."""
    base_url: str = ""
    judge_model: str = ""
    api_key: str | None = None
    concurrency: int = 16
    max_tokens: int = 8
    limit: int | None = None


PENDING = """
SELECT c.sample_id, s.completion, s.reasoning, s.think_prefilled, p.problem, p.reference
FROM checks c JOIN samples s USING (sample_id) JOIN prompts p ON p.prompt_id = c.prompt_id
ANTI JOIN (SELECT sample_id FROM judgments WHERE judge = ?) j USING (sample_id)
WHERE c.reason = 'awaiting_judge'
"""


def judge_prompt(problem: str, reference: str, completion: str, reasoning: str | None, prefilled: bool) -> str:
    text, prefilled = sample_for_verifier(completion, reasoning, prefilled)
    answer = split_answer_region(text, think_prefilled=prefilled).answer.strip()[-MAX_ANSWER_CHARS:]
    return TEMPLATE.format(problem=problem, reference=reference, answer=answer or "(no answer)")


def parse_reply(reply: str) -> bool | None:
    match = _VERDICT.match(reply or "")
    return None if match is None else match.group(1).upper() == "CORRECT"


def run_judge(con: Any, options: JudgeOptions) -> dict[str, Any]:
    if not options.base_url or not options.judge_model:
        raise UsageError("judge needs --base-url (an OpenAI-compatible endpoint) and --judge-model")
    rows = con.execute(PENDING, [options.judge_model]).fetchall()[: options.limit]
    print(f"[curation] judge: {len(rows):,} samples await {options.judge_model}", file=sys.stderr)
    if not rows:
        return {"judged": 0}
    requests = [Request(sid, problem, sid, ({"role": "user", "content": judge_prompt(
                    problem, str(json.loads(ref)) if ref else "", completion or "", reasoning, bool(prefilled))},), 0, 0)
                for sid, completion, reasoning, prefilled, problem, ref in rows]
    backend = open_backend("openai", options.judge_model, base_url=options.base_url, api_key=options.api_key,
                           concurrency=options.concurrency)
    out: dict[str, list] = {"sample_id": [], "judge": [], "correct": [], "reply": [], "judged_at": []}
    try:
        for c in backend.generate(requests, Sampling(temperature=0.0, top_p=1.0, max_tokens=options.max_tokens)):
            for key, value in zip(out, (c.request.problem_id, options.judge_model, parse_reply(c.text), c.text,
                                        time.time())):
                out[key].append(value)
    finally:  # whatever was judged is kept, even when the endpoint fails midway
        backend.close()
        if out["sample_id"]:
            con.register("_judged", pa.table(out))
            con.execute("INSERT OR REPLACE INTO judgments BY NAME SELECT * FROM _judged")
            con.unregister("_judged")
    decided = [v for v in out["correct"] if v is not None]
    return {"judged": len(out["sample_id"]), "correct": sum(decided), "undecided": len(out["correct"]) - len(decided)}
