"""The app's SQL queries over a curation workspace (`app.sources.open_curation`): its tables and its own
`samples` view (curation/db.py), never the evals store's (those queries are in app/queries.py).
"""
from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["drop_reasons", "side_by_side"]


def _df(con: Any, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
    return con.execute(sql, params or []).df()


def drop_reasons(con: Any) -> pd.DataFrame:
    return _df(con, """SELECT coalesce(reason, 'kept') AS outcome, domain, count(*) AS samples
                       FROM filtered GROUP BY ALL ORDER BY samples DESC""")


def side_by_side(con: Any, reason: str | None, limit: int = 5) -> pd.DataFrame:
    """Prompts with both a kept sample and a sample dropped (for `reason`, or any): one of each per prompt."""
    reason_sql = "AND f.reason = ?" if reason else ""
    return _df(con, f"""
        WITH pick AS (
          SELECT f.prompt_id, f.kept, any_value(f.sample_id ORDER BY f.sample_id) AS sample_id,
                 any_value(f.reason ORDER BY f.sample_id) AS reason
          FROM filtered f WHERE f.kept OR (NOT f.kept {reason_sql}) GROUP BY ALL),
        both_sides AS (SELECT prompt_id FROM pick GROUP BY 1 HAVING count(DISTINCT kept) = 2 ORDER BY 1 LIMIT ?)
        SELECT p.prompt_id, pr.domain, pr.problem, pr.reference, p.kept, p.reason, p.sample_id,
               c.reason AS verdict_reason, c.extracted, c.completion_tokens, s.reasoning, s.completion
        FROM pick p JOIN both_sides USING (prompt_id) JOIN prompts pr USING (prompt_id)
        LEFT JOIN checks c USING (sample_id) LEFT JOIN samples s USING (sample_id)
        ORDER BY p.prompt_id, p.kept DESC""", ([reason] if reason else []) + [int(limit)])
