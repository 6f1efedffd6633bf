"""Stage 5, select: up to K distinct samples per prompt among those the filter kept.

    python -m curation select --k 3 --max-similarity 0.5

The review's recipe keeps up to 3 correct solutions per question. Candidates are taken in a fixed
pseudo-random order (md5 of the sample id: no bias toward short or long traces), and a candidate
is accepted only if its reasoning's estimated Jaccard similarity (MinHash of word 5-grams,
measured by `verify`) to every sample already accepted for the prompt is below
`--max-similarity`; near-copies are rejected as `near_duplicate_sample`, the rest beyond K as
`surplus`. Only the 512-byte sketches are read, never the traces.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from .minhash import estimate


@dataclass
class SelectOptions:
    """Every field is a flag of `python -m curation select`."""
    k: int = 3
    max_similarity: float = 0.5


CANDIDATES = """
SELECT f.prompt_id, f.sample_id, c.sketch FROM filtered f JOIN checks c USING (sample_id)
WHERE f.kept ORDER BY f.prompt_id, md5(f.sample_id)
"""


def choose(sketches: list[bytes | None], k: int, max_similarity: float) -> list[tuple[bool, str, float]]:
    """(selected, reason, highest similarity to an accepted sample) per candidate, in candidate order."""
    accepted: list[np.ndarray] = []
    out = []
    for raw in sketches:
        sig = np.frombuffer(raw, dtype=np.uint32) if raw else None
        similarity = max((estimate(sig, a) for a in accepted), default=0.0) if sig is not None else 0.0
        if len(accepted) >= k:
            out.append((False, "surplus", similarity))
        elif similarity >= max_similarity:
            out.append((False, "near_duplicate_sample", similarity))
        else:
            accepted.append(sig if sig is not None else np.zeros(0, dtype=np.uint32))
            out.append((True, "selected", similarity))
    return out


def run_select(con: Any, options: SelectOptions, batch_rows: int = 65536) -> dict[str, Any]:
    out: dict[str, list] = {"sample_id": [], "prompt_id": [], "selected": [], "reason": [], "similarity": []}
    group: list[tuple[str, str, bytes | None]] = []

    def flush() -> None:
        for (pid, sid, _), (chosen, reason, sim) in zip(group, choose([g[2] for g in group], options.k,
                                                                       options.max_similarity)):
            for key, value in zip(out, (sid, pid, chosen, reason, round(sim, 4))):
                out[key].append(value)
        group.clear()

    reader = con.sql(CANDIDATES).to_arrow_reader(batch_rows)
    for batch in reader:
        for pid, sid, sketch in zip(*(batch.column(i).to_pylist() for i in range(3))):
            if group and group[0][0] != pid:
                flush()
            group.append((pid, sid, sketch))
    flush()
    table = pa.table(out, schema=pa.schema([("sample_id", pa.string()), ("prompt_id", pa.string()),
                                            ("selected", pa.bool_()), ("reason", pa.string()),
                                            ("similarity", pa.float64())]))
    con.register("_selection", table)
    con.execute("CREATE OR REPLACE TABLE selection AS SELECT * FROM _selection")
    con.unregister("_selection")
    rows = con.execute("SELECT reason, count(*) FROM selection GROUP BY 1 ORDER BY 2 DESC").fetchall()
    prompts = con.execute("SELECT count(DISTINCT prompt_id) FROM selection WHERE selected").fetchall()[0][0]
    return {"selection": dict(rows), "prompts_with_a_sample": prompts}
