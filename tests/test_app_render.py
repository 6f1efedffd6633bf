"""The app's pure pieces: text as Markdown that shows what was written (math kept, Markdown specials
literal, [asy] as code), folding and search in traces, the paired tests, and `python -m app export`."""
from __future__ import annotations

import math
import subprocess
import sys

import pandas as pd
import pytest

from app import significance
from app.text_render import find, fold, highlight_html, to_markdown

from .conftest import ROOT


@pytest.mark.parametrize("text, present, absent", [
    # Markdown specials outside math are escaped: no italics, bold, headings, lists, links, tables
    ("Let *x* and _y_ be **big**", [r"\*x\*", r"\_y\_", r"\*\*big\*\*"], ["*x*"]),
    ("# not a heading\n1. not a list\n- nor this", [r"\# not", r"1\. not", r"\- nor"], []),
    ("[a](b) | c |", [r"\[a\]\(b\)", r"\| c \|"], []),
    # math kept as math, inner Markdown specials untouched
    ("Find $a_1 * b_2$ now", ["$a_1 * b_2$"], [r"a\_1"]),
    (r"so \(x_1\) and \[y^2\]", ["$x_1$", "$$\ny^2\n$$"], []),
    (r"$$\frac{a}{b}$$", ["$$\n\\frac{a}{b}\n$$"], []),
    (r"\begin{align*} a &= b \\ c &= d \end{align*}", ["$$\n\\begin{align*}"], []),
    # an escaped dollar stays a dollar, a lone one does not open math
    (r"It costs \$5 and $ 3 apples", [r"\$5", r"\$ 3"], []),
    # [asy] figures as code, their * and _ untouched, the text around them escaped
    ("[asy]\ndraw((0,0)--(1,1)); label(\"$A_1$\", (0,0));\npair P_1 = (0,0)*2;\n[/asy]\nThe _area_",
     ["```\ndraw((0,0)--(1,1));", "pair P_1 = (0,0)*2;", r"\_area\_"], ["[asy]"]),
])
def test_to_markdown_keeps_math_and_escapes_the_rest(text, present, absent):
    out = to_markdown(text)
    for p in present:
        assert p in out, (p, out)
    for a in absent:
        assert a not in out, (a, out)


def test_asy_problem_from_math500_never_turns_into_italics(math500):
    problem = next(p for p in math500 if "[asy]" in p["problem"] and "_" in p["problem"].split("[asy]")[1])
    out = to_markdown(problem["problem"])
    body = problem["problem"].split("[asy]")[1].split("[/asy]")[0].strip("\n")
    assert body in out and "```" in out


def test_fold_keeps_short_texts_and_folds_the_middle_of_long_ones():
    short = "a\n\n" * 100
    assert not fold(short).folded and fold(short).head == short
    long = "".join(f"paragraph {i} $x_{i}$\n\n" for i in range(5000))
    parts = fold(long)
    assert parts.folded and parts.head + parts.middle + parts.tail == long
    assert parts.head.endswith("\n\n") and parts.tail.startswith("paragraph")  # cut between paragraphs
    assert len(parts.head) < 6000 and len(parts.tail) < 6000


def test_find_counts_all_and_returns_context():
    total, hits = find({"reasoning": "Wait, wait. WAIT!", "answer": "no"}, "wait", context=3)
    assert total == 3 and [h.match for h in hits] == ["Wait", "wait", "WAIT"]
    assert hits[1].before == ", " or hits[1].before.endswith(", ")
    assert find({"a": "x"}, "") == (0, [])
    assert find({"a": "ab" * 100}, "ab", limit=5)[0] == 100 and len(find({"a": "ab" * 100}, "ab", limit=5)[1]) == 5


def test_highlight_marks_the_last_occurrence_escaped():
    out = highlight_html("<b>1</b> then \\boxed{279} and \\boxed{279}", "\\boxed{279}", anchor="x")
    assert out.count("<mark") == 1 and out.index('<mark id="x">') > out.index("then \\boxed{279} and")
    assert "&lt;b&gt;" in out


@pytest.mark.parametrize("b, c, p", [(0, 0, 1.0), (0, 5, 0.0625), (5, 0, 0.0625), (3, 3, 1.0), (1, 9, 0.021484375),
                                     (10, 25, 0.01669)])
def test_mcnemar_exact(b, c, p):
    assert significance.mcnemar_exact(b, c) == pytest.approx(p, rel=1e-3)
    scipy_stats = pytest.importorskip("scipy.stats")  # a second opinion where scipy is installed
    if b + c:
        assert significance.mcnemar_exact(b, c) == pytest.approx(scipy_stats.binomtest(b, b + c, 0.5).pvalue)


def _stats(rates: list[float], first: list[bool], k: int = 4) -> pd.DataFrame:
    return pd.DataFrame({"problem_id": [f"p{i}" for i in range(len(rates))], "n": k,
                         "score_sum": [r * k for r in rates], "c0": [int(f) for f in first]})


def test_paired_comparison_detects_a_real_difference_and_not_a_null_one():
    a = _stats([1.0] * 40 + [0.5] * 10, [True] * 50)
    b = _stats([0.0] * 40 + [0.5] * 10, [False] * 40 + [True] * 10)
    r = significance.paired(a, b)
    assert r.problems == 50 and r.delta == pytest.approx(0.8) and r.low > 0 and r.significant
    assert (r.only_a, r.only_b) == (40, 0) and r.p_value < 1e-9
    same = significance.paired(a, a)
    assert same.delta == 0 and same.p_value == 1.0 and not same.significant
    assert significance.paired(a, _stats([], [])).problems == 0


def test_paired_by_level_orders_levels_naturally():
    a, b = _stats([1.0, 0.0, 1.0], [True, False, True]), _stats([0.0, 0.0, 1.0], [False, False, True])
    meta = {"p0": {"level": "Level 10"}, "p1": {"level": "Level 2"}, "p2": {"level": "Level 2"}}
    table = significance.paired_by(a, b, meta, "level")
    assert list(table.level) == ["Level 2", "Level 10"] and list(table.problems) == [2, 1]
    assert table["Δ pass@1 (A−B)"].tolist() == [0.0, 100.0]


def test_wilson_interval():
    lo, hi = significance.wilson(0, 30)
    assert lo == 0 and 0.10 < hi < 0.12
    lo, hi = significance.wilson(15, 30)
    assert lo < 0.5 < hi and hi - lo == pytest.approx(0.34, abs=0.01)
    assert all(math.isnan(x) for x in significance.wilson(0, 0))


def _export(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", "export", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_export_writes_one_self_contained_file(app_store, tmp_path):
    out = tmp_path / "run.html"
    done = _export(str(app_store), "test/fake:math500", "-o", str(out))
    assert done.returncode == 0, done.stderr
    page = out.read_text()
    assert page.count('<details class="sample') == 12 * 4  # every sample of the run
    assert "<svg" in page and "pass@1 by level" in page and "Why samples failed" in page
    assert "pass@1 %<b>" in page and "pass@k %<b>" in page  # both tiles, neither hides the other
    assert "http://" not in page and "https://" not in page and "<link" not in page


@pytest.mark.parametrize("args, message", [
    (["{store}", "no-such-run"], "names no run"),
    (["{store}", "test"], "names several runs"),
    (["{tmp}/nowhere", "x"], "not an evals store"),
])
def test_export_errors_name_the_fix(app_store, tmp_path, args, message):
    done = _export(*[a.format(store=app_store, tmp=tmp_path) for a in args], "-o", str(tmp_path / "x.html"))
    assert done.returncode == 1 and message in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "x.html").exists() and not (tmp_path / "nowhere").exists()


def test_export_help():
    done = _export("--help")
    assert done.returncode == 0 and "MODEL:BENCHMARK" in done.stdout and "-o OUTPUT" in done.stdout
