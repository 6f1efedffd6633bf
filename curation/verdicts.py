"""Curation's verdicts, in the evaluation's shape, and the `checks` view the later stages read.

    sample_verdicts  one row per (sample_id, verifier, verifier_version): the store's verdict fields
                     (correct, score, reason, extracted, normalized, method, details), keyed to the
                     workspace's sample_id. The answer verdict's details hold the policy it was given
                     ("options": e.g. {"require_evaluated": true}); the four text signals (language,
                     format, repetition, readability) are the verdicts `evals.verifiers.signals` gives.
    measures         what is not a verdict: truncation, length, the MinHash sketch of the reasoning.
    store_verdicts   (view) the verdicts of the evals stores that samples were registered from, keyed
                     to sample_id: `verify` copies one instead of verifying again when its version and
                     options match, so a sample evaluated (or re-scored) once is not verified twice.
    checks           (view) one row per verified sample of the current versions: the answer verdict and
                     the signals as the numbers the filters threshold.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa

from evals.scoring import answer_policy, policy_key
from evals.store import VERDICT_FIELDS, Store
from evals.store import VERDICTS as STORE_VERDICTS
from evals.verifiers import VERIFIER_VERSION
from evals.verifiers.registry import is_rule_based
from evals.verifiers.verdict import SIGNALS_VERSION

CHECKS_VERSION = f"{SIGNALS_VERSION}+curation.2"  # bump when the measures (sketch, lengths) change
# sample_verdicts' schema: the store's verdict fields, keyed to the workspace's sample_id
VERDICTS = pa.schema([("sample_id", pa.string()), *(STORE_VERDICTS.field(c) for c in VERDICT_FIELDS),
                      ("created_at", pa.float64())])
_SQL_TYPES = {pa.string(): "VARCHAR", pa.bool_(): "BOOLEAN", pa.float64(): "DOUBLE"}
_EMPTY = "SELECT " + ", ".join(f"NULL::{_SQL_TYPES[f.type]} AS {f.name}" for f in VERDICTS) + " WHERE false"


def policy(kind: str, require_evaluated: bool) -> dict[str, Any]:
    """The options curation gives `kind`'s verifier ({} for kinds decided elsewhere: imported, judge, none)."""
    return answer_policy(kind, require_evaluated=require_evaluated) if is_rule_based(kind) else {}


def policies(con: Any, require_evaluated: bool) -> dict[str, list[str]]:
    """The `_policies` table for the pending query: each prompt verifier and its policy as stored."""
    kinds = [k for (k,) in con.execute("SELECT DISTINCT verifier FROM prompts").fetchall()]
    return {"verifier": kinds, "options": [policy_key(policy(k, require_evaluated)) for k in kinds]}


def create_store_verdicts_view(con: Any, sources: list[tuple[str, str, str]]) -> None:
    """`store_verdicts`: the verdicts of every registered store source, keyed like its samples."""
    selects = []
    for location, model, sampling_hash in sources:
        store = Store(Path(location.strip("'")).parent.parent)  # location: the store's samples glob
        if not store.has_segments("verdicts"):  # an empty glob is an error; no segment, no verdicts
            continue
        selects.append(f"SELECT p.prompt_id || '/' || v.model || '/' || v.sample_index AS sample_id, "
                       f"{', '.join('v.' + c for c in VERDICT_FIELDS)}, v.created_at "
                       f"FROM {store.verdicts_sql(model=model, sampling_hash=sampling_hash)} v "
                       f"JOIN prompts p USING (prompt_hash)")
    body = "\nUNION ALL BY NAME\n".join(f"({s})" for s in selects) if selects else _EMPTY
    con.execute(f"CREATE OR REPLACE TEMP VIEW store_verdicts AS {body}")


def _signal(alias: str, name: str) -> str:
    return (f"LEFT JOIN sample_verdicts {alias} ON {alias}.sample_id = m.sample_id AND {alias}.verifier = '{name}' "
            f"AND {alias}.verifier_version = '{SIGNALS_VERSION}'")


def create_checks_view(con: Any) -> None:
    """`checks`: the columns the filter, select, export and card read, from the verdicts and measures."""
    con.execute(f"""
CREATE OR REPLACE TEMP VIEW checks AS
SELECT m.sample_id, m.prompt_id, a.verifier, a.verifier_version, m.version AS signals_version, a.correct, a.reason,
       a.extracted, a.method, a.details, m.truncated, m.completion_tokens, m.reasoning_words,
       f.correct AS format_ok,
       CASE WHEN json_array_length(f.details, '$.problems') > 0 THEN json_extract(f.details, '$.problems')::VARCHAR
       END AS format_problems,
       l.normalized AS language, CAST(json_extract(l.details, '$.score') AS DOUBLE) AS language_score,
       json_extract(l.details, '$.languages')::VARCHAR AS languages,
       CAST(json_extract(r.details, '$.ngram_rate') AS DOUBLE) AS ngram_rate,
       CAST(json_extract(r.details, '$.loop_unit_tokens') AS INTEGER) AS loop_unit_tokens,
       CAST(json_extract(r.details, '$.loop_repeats') AS DOUBLE) AS loop_repeats,
       -- readability's checks in readability.readability()'s order: longest paragraph, code blocks, mixed language
       CAST(json_extract(g.details, '$.checks[0].value') AS INTEGER) AS longest_paragraph,
       CAST(json_extract(g.details, '$.checks[1].value') AS INTEGER) AS code_blocks,
       m.sketch, m.measured_at AS checked_at
FROM measures m JOIN prompts p ON p.prompt_id = m.prompt_id
JOIN sample_verdicts a ON a.sample_id = m.sample_id AND a.verifier = p.verifier
     AND a.verifier_version = '{VERIFIER_VERSION}'
{_signal('f', 'format')} {_signal('l', 'language')} {_signal('r', 'repetition')} {_signal('g', 'readability')}
WHERE m.version = '{CHECKS_VERSION}'""")
