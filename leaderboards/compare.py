"""Our numbers beside the paper's: one row per (run, metric), with the delta and the outside-CI flag.

delta = ours - paper, in percentage points; the flag is raised when the paper's number lies outside
our 95% interval (evals' percentile bootstrap over problems). A model the paper never evaluated
still gets its rows, with no reference, delta or flag.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from evals.metrics import Estimate

from .measured import Run, estimates, other_protocol, protocol_notes
from .reference import Reference, lookup

__all__ = ["Comparison", "compare", "delta_and_flag", "factor", "registry_name", "shown"]

# Float noise from scaling fractions to percent must not flip the flag at the interval's edge.
_EDGE = 1e-9


@dataclass(frozen=True)
class Comparison:
    run: Run
    metric: str
    ours: Estimate  # fractions, as evals.metrics returns them
    references: tuple[Reference, ...]  # the paper's value(s) for this model, benchmark and metric
    delta: float | None  # ours - paper, percentage points
    outside: bool | None  # the paper's value is outside our interval; None when there is nothing to compare
    protocol: str  # the run's sampling protocol and how it departs from the paper's
    other_protocol: bool = False  # sampled (or maybe sampled: unknown) otherwise than the paper: not like for like

    @property
    def paper(self) -> float | None:
        return self.references[0].value if self.references else None


# Metrics printed in their own units (a Codeforces rating); every other estimate is a fraction printed in percent.
OWN_UNITS = frozenset({"rating"})


def factor(metric: str) -> float:
    """What an estimate of ``metric`` is multiplied by to be printed (and compared with the paper's number)."""
    return 1.0 if metric in OWN_UNITS else 100.0


def shown(metric: str, ours: Estimate) -> str:
    """``"43.3 [38.1, 48.5]"``: value and 95% interval in the units the paper prints."""
    f = factor(metric)
    if math.isnan(ours.low) or math.isnan(ours.high):
        return f"{ours.value * f:.1f}"
    return f"{ours.value * f:.1f} [{ours.low * f:.1f}, {ours.high * f:.1f}]"


def delta_and_flag(ours: Estimate, paper: float | None, metric: str = "") -> tuple[float | None, bool | None]:
    """(ours - paper, paper outside [low, high]) in the paper's units (percentage points, or rating points);
    None where there is no paper value or no interval (a NaN interval cannot exclude anything)."""
    if paper is None or math.isnan(ours.value):
        return None, None
    f = factor(metric)
    delta = ours.value * f - paper
    if math.isnan(ours.low) or math.isnan(ours.high):
        return delta, None
    return delta, bool(paper < ours.low * f - _EDGE or paper > ours.high * f + _EDGE)


def registry_name(model: str) -> str:
    """Our registry name for a stored model name (a registry name, or the Hub id of a registry entry)."""
    from evals.models import MODELS

    if model in MODELS:
        return model
    by_hub = {spec.hub_id.lower(): name for name, spec in MODELS.items()}
    return by_hub.get(model.lower(), model)


def compare(runs: list[Run], references: list[Reference]) -> list[Comparison]:
    """Every metric of every run, each beside the paper's number for the same model, benchmark, metric."""
    rows = []
    for run in runs:
        notes = protocol_notes(run, _default_k(run.benchmark))
        name = registry_name(run.model)
        for metric, ours in estimates(run):
            refs = tuple(lookup(references, name, run.benchmark, metric))
            delta, outside = delta_and_flag(ours, refs[0].value if refs else None, metric)
            rows.append(Comparison(run, metric, ours, refs, delta, outside, notes, other_protocol(run)))
    return rows


def _default_k(benchmark: str) -> int | None:
    from evals.benchmarks import BENCHMARKS

    bench = BENCHMARKS.get(benchmark)
    return bench.default_samples if bench else None
