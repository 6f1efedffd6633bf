"""The app's charts (Altair, which Streamlit ships): pure functions from the query and summary frames to
Vega-Lite charts, so the pages only place them. One colour per outcome everywhere: correct green, wrong
red, unverified grey."""
from __future__ import annotations

import altair as alt
import pandas as pd

from . import significance

__all__ = ["OUTCOME_COLOURS", "intervals", "length_histogram", "length_accuracy", "failure_reasons",
           "language", "pass_at_k", "runs_pass1"]

OUTCOMES = ["correct", "wrong", "unverified"]
OUTCOME_COLOURS = alt.Scale(domain=OUTCOMES, range=["#2e7d32", "#c62828", "#9e9e9e"])


def intervals(table: pd.DataFrame, field: str, value: str = "pass@1 %", low: str = "low", high: str = "high",
              domain: tuple[float, float] | None = (0, 100), zero_rule: bool = False) -> alt.Chart:
    """One row per group: the estimate as a point on its 95% interval (a horizontal rule)."""
    order = [str(g) for g in table[field]]
    data = table.assign(**{field: order})
    scale = alt.Scale(domain=list(domain)) if domain else alt.Scale(zero=False)
    y = alt.Y(f"{field}:N", sort=order, title=field)
    tips = [f"{field}:N", alt.Tooltip(f"{value}:Q", format=".1f"), alt.Tooltip(f"{low}:Q", format=".1f"),
            alt.Tooltip(f"{high}:Q", format=".1f")] + (["problems:Q"] if "problems" in table else [])
    base = alt.Chart(data).encode(y=y, tooltip=tips)
    chart = (base.mark_rule(strokeWidth=2, color="#5c6bc0").encode(x=alt.X(f"{low}:Q", scale=scale, title=value),
                                                                   x2=f"{high}:Q")
             + base.mark_point(filled=True, size=70, color="#1a237e").encode(x=f"{value}:Q"))
    if zero_rule:
        chart += alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(strokeDash=[4, 4], color="#757575").encode(x="x:Q")
    return chart.properties(height=max(80, 24 * len(table)))


def _unit(frame: pd.DataFrame) -> str:
    return str(frame["unit"].iloc[0]) if "unit" in frame and len(frame) else "tokens"


def length_histogram(hist: pd.DataFrame, title: str | None = None) -> alt.Chart:
    """Equal-width bins of response length, correct and wrong stacked (`queries.length_histogram`)."""
    return alt.Chart(hist).mark_bar(stroke="white", strokeWidth=0.5).encode(
        x=alt.X("bin_start:Q", bin="binned", title=title or f"response length ({_unit(hist)})"), x2="bin_end:Q",
        y=alt.Y("samples:Q", stack=True, title="samples", scale=alt.Scale(zero=True, domainMin=0)),
        color=alt.Color("outcome:N", scale=OUTCOME_COLOURS, title=None),
        tooltip=["outcome", "samples", "bin_start", "bin_end"])


def length_accuracy(bins: pd.DataFrame) -> alt.Chart:
    """Accuracy per quantile bin of length, with each bin's Wilson 95% interval."""
    ci = [significance.wilson(int(c), int(n)) for c, n in zip(bins.correct, bins.samples)]
    data = bins.assign(low=[lo for lo, _ in ci], high=[hi for _, hi in ci],
                       range=[f"{a:,.0f}–{b:,.0f}" for a, b in zip(bins.min_length, bins.max_length)])
    x = alt.X("median_length:Q", title=f"response length ({_unit(bins)}, bin median)", axis=alt.Axis(format=",.0f"))
    base = alt.Chart(data).encode(x=x, tooltip=["range:N", "samples:Q", "correct:Q",
                                                alt.Tooltip("accuracy:Q", format=".2f"),
                                                alt.Tooltip("low:Q", format=".2f"), alt.Tooltip("high:Q", format=".2f")])
    y = alt.Y("accuracy:Q", scale=alt.Scale(domain=[0, 1]), title="accuracy")
    return (base.mark_area(opacity=0.15, color="#5c6bc0").encode(y="low:Q", y2="high:Q")
            + base.mark_rule(color="#5c6bc0").encode(y="low:Q", y2="high:Q")
            + base.mark_line(point=True, color="#1a237e").encode(y=y))


def failure_reasons(reasons: pd.DataFrame) -> alt.Chart:
    """Why samples failed, as a share of all the run's samples (`queries.reason_counts(failures_only)`)."""
    return alt.Chart(reasons).mark_bar(color="#c62828").encode(
        x=alt.X("share %:Q", title="% of all samples", scale=alt.Scale(zero=True)),
        y=alt.Y("reason:N", sort="-x", title=None),
        tooltip=["reason", "samples", alt.Tooltip("share %:Q", format=".1f")])


def language(hist: pd.DataFrame, bins: int = 10) -> alt.Chart:
    """Language consistency in `bins` fixed bins (every bin drawn, empty ones as zero), correct and wrong
    stacked. Ordinal bins: the mass sits at 0.9–1.0, and a quantitative axis drew it as a sliver."""
    labels = [f"{i / bins:.1f}–{(i + 1) / bins:.1f}" for i in range(bins)]
    full = pd.DataFrame([(label, o) for label in labels for o in ("correct", "wrong")], columns=["bin", "outcome"])
    got = hist.assign(bin=[labels[min(int(round(b * bins)), bins - 1)] for b in hist.bin_start])
    data = full.merge(got.groupby(["bin", "outcome"], as_index=False).samples.sum(), how="left").fillna({"samples": 0})
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("bin:O", sort=labels, title="share of words in the prompt's language", axis=alt.Axis(labelAngle=-40)),
        y=alt.Y("samples:Q", stack=True, scale=alt.Scale(zero=True, domainMin=0), title="samples"),
        color=alt.Color("outcome:N", scale=OUTCOME_COLOURS, title=None), tooltip=["bin", "outcome", "samples"])


def pass_at_k(curve: pd.DataFrame) -> alt.Chart:
    base = alt.Chart(curve).encode(x=alt.X("k:Q", scale=alt.Scale(type="log", base=2), title="k"))
    return (base.mark_area(opacity=0.2).encode(y="low:Q", y2="high:Q")
            + base.mark_line(point=True).encode(y=alt.Y("pass@k %:Q", scale=alt.Scale(domain=[0, 100])),
                                                tooltip=["k", alt.Tooltip("pass@k %:Q", format=".1f")]))


def runs_pass1(table: pd.DataFrame) -> alt.Chart:
    """pass@1 ± 95% interval of every run (`summaries.run_summary`), one panel per benchmark."""
    data = table.assign(low=table["pass@1 %"] - table["± (95% CI)"], high=table["pass@1 %"] + table["± (95% CI)"])
    base = alt.Chart(data).encode(y=alt.Y("model:N", title=None),
                                  tooltip=["model", "benchmark", alt.Tooltip("pass@1 %:Q", format=".1f"),
                                           alt.Tooltip("low:Q", format=".1f"), alt.Tooltip("high:Q", format=".1f")])
    x = alt.X("low:Q", scale=alt.Scale(domain=[0, 100]), title="pass@1 % (95% CI)")
    layered = (base.mark_rule(strokeWidth=2).encode(x=x, x2="high:Q", color=alt.Color("model:N", legend=None))
               + base.mark_point(filled=True, size=70).encode(x="pass@1 %:Q", color="model:N"))
    return layered.properties(width=320, height=max(60, 26 * data.model.nunique())).facet(
        column=alt.Column("benchmark:N", title=None))
