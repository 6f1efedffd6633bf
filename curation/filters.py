"""Stage 4, filter: one SQL statement decides, for every checked sample, kept or the first reason
to drop it, in this order (the funnel the data card shows):

    truncated -> wrong answer (the verdict's reason: wrong_answer, no_answer, timeout ...) ->
    unverified (outside the domains kept without a verdict) -> wrong_format -> too_short / too_long ->
    repetition_loop -> repetitive (n-gram rate, off by default) -> mixed_language -> long_paragraph ->
    code_in_reasoning

    python -m curation filter --max-tokens 16384 --max-mixed-language 0.02

The readability defaults are the evaluation's (`evals.verifiers.readability.Thresholds`); the
paper names the filters (mixed languages, long paragraphs, code blocks in the chain of thought)
but gives no numbers. Thresholds only touch numbers stored by `verify`, so re-filtering takes
seconds and re-reads no trace.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evals.config import R1_PROTOCOL
from evals.verifiers.readability import Thresholds
from evals.verifiers.verdict import CurationReason, Reason

_DEFAULTS = Thresholds()


@dataclass
class FilterOptions:
    """Every field is a flag of `python -m curation filter`."""
    min_tokens: int = 1
    max_tokens: int = R1_PROTOCOL.max_tokens  # the generation limit: longer samples were cut
    max_paragraph_words: int = _DEFAULTS.max_paragraph_words
    max_code_blocks: int = _DEFAULTS.max_code_blocks
    code_block_domains: list[str] = field(default_factory=lambda: ["code"])  # domains where code in the CoT is fine
    max_mixed_language: float = _DEFAULTS.max_mixed_language
    drop_loops: bool = True
    max_ngram_rate: float | None = None
    require_format: bool = True
    unverified_domains: list[str] = field(default_factory=lambda: ["general"])  # kept without an answer verdict


# The funnel's drop reasons in the order they are tested: each a word of the one vocabulary of
# evals.verifiers.verdict (a verdict reason where one fits, else curation's own).
FUNNEL: tuple[Reason | CurationReason, ...] = (
    "truncated", "incorrect", "unverified", "wrong_format", "too_short", "too_long", "repetition_loop", "repetitive",
    "mixed_language", "long_paragraph", "code_in_reasoning")


def _in(values: list[str]) -> str:
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")" if values else "(NULL)"


def filter_sql(o: FilterOptions) -> str:
    ngram = f"WHEN c.ngram_rate > {float(o.max_ngram_rate)} THEN 'repetitive'" if o.max_ngram_rate is not None else ""
    return f"""
CREATE OR REPLACE TABLE filtered AS
SELECT sample_id, prompt_id, domain, reason IS NULL AS kept, reason, verdict_reason FROM (
  SELECT c.sample_id, c.prompt_id, p.domain, c.reason AS verdict_reason,
    CASE
      WHEN c.truncated THEN 'truncated'
      WHEN coalesce(j.correct, c.correct) = false THEN 'incorrect'
      WHEN coalesce(j.correct, c.correct) IS NULL AND p.domain NOT IN {_in(o.unverified_domains)} THEN 'unverified'
      WHEN {str(bool(o.require_format)).lower()} AND NOT c.format_ok THEN 'wrong_format'
      WHEN c.completion_tokens < {int(o.min_tokens)} THEN 'too_short'
      WHEN c.completion_tokens > {int(o.max_tokens)} THEN 'too_long'
      WHEN {str(bool(o.drop_loops)).lower()} AND c.loop_unit_tokens > 0 THEN 'repetition_loop'
      {ngram}
      WHEN 1 - coalesce(c.language_score, 1) > {float(o.max_mixed_language)} THEN 'mixed_language'
      WHEN c.longest_paragraph > {int(o.max_paragraph_words)} THEN 'long_paragraph'
      WHEN c.code_blocks > {int(o.max_code_blocks)} AND p.domain NOT IN {_in(o.code_block_domains)}
        THEN 'code_in_reasoning'
    END AS reason
  FROM checks c JOIN prompts p USING (prompt_id)
  LEFT JOIN (SELECT sample_id, bool_and(correct) AS correct FROM judgments GROUP BY sample_id) j USING (sample_id)
  SEMI JOIN samples s USING (sample_id)
)"""


def run_filter(con: Any, options: FilterOptions) -> dict[str, Any]:
    con.execute(filter_sql(options))
    rows = con.execute("SELECT coalesce(reason, 'kept'), count(*) FROM filtered GROUP BY 1").fetchall()
    return {"funnel": {reason: n for reason, n in sorted(rows, key=lambda r: -r[1])}}
