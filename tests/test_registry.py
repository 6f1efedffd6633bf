"""The registries drive every list: a verifier kind's abilities are read from its one `VerifierKind`
record (evaluation, curation and the GRPO reward use a kind registered in a test without other
edits), no library file spells its own list of kind names, curation decontaminates against every
benchmark of `BENCHMARKS` and reports the ones it skips, and the reasons are one vocabulary."""
from __future__ import annotations

import ast
import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from evals.benchmarks import BENCHMARKS, Benchmark, Problem
from evals.verifiers import registry
from evals.verifiers.registry import VerifierKind

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ("evals", "curation", "training", "app", "leaderboards", "scripts")
CURATION_ONLY = ("judge", "imported", "none")  # curation's own verifiers (curation.ingest), not kinds
# a rule-based kind that takes neither think_prefilled nor require_evaluated (its function refuses them)
SHOUT = VerifierKind("shout", "tests.toy_kind:verify_shout", "a word", rule_based=True, reference_is_text=True,
                     wants_boxed=True, equivalence="letter")


# ---- no site bypasses the registry -----------------------------------------------------------------

def kind_lists(source: str) -> list[tuple[int, list[str]]]:
    """(line, names) of every tuple, list or set literal that names two or more verifier kinds and
    nothing else but curation's own verifiers (a domain list such as ("math", "code", "stem") is not one)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, (ast.Tuple, ast.List, ast.Set)) or len(node.elts) < 2:
            continue
        names = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        kinds = [n for n in names if n in registry.VERIFIERS]
        if len(names) == len(node.elts) and len(kinds) >= 2 and set(names) <= set(kinds) | set(CURATION_ONLY):
            found.append((node.lineno, names))
    return found


@pytest.mark.parametrize("source, flagged", [
    ('BOXED = ("math", "aime")', True),
    ('if kind in ("math", "aime", "choice", "code"): pass', True),
    ('VERIFIERS = ["math", "aime", "choice", "code", "judge", "imported", "none"]', True),
    ('DOMAINS = ("math", "code", "stem", "logic", "general")', False),  # domains, not kinds
    ('PAIR = ("code", re.compile("x"))', False),
    ('ONE = ("math",)', False),
    ('VERIFIERS = (*rule_kinds(), "judge", "imported", "none")', False),
])
def test_kind_list_detector(source, flagged):
    assert bool(kind_lists(source)) is flagged


def test_no_library_file_lists_verifier_kinds_outside_the_registry():
    offenders = []
    for package in LIBRARY:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path == ROOT / "evals/verifiers/registry.py":
                continue
            offenders += [f"{path.relative_to(ROOT)}:{line}: {names}" for line, names in kind_lists(path.read_text())]
    assert not offenders, "read the kinds' records in evals/verifiers/registry.py instead:\n" + "\n".join(offenders)


def test_records_are_frozen_and_say_what_the_verifiers_take():
    import inspect

    with pytest.raises(dataclasses.FrozenInstanceError):
        registry.VERIFIERS["math"].rule_based = False  # type: ignore[misc]
    for kind in registry.VERIFIERS.values():
        params = inspect.signature(registry.resolve(kind.name)).parameters
        assert ("think_prefilled" in params) is kind.takes_think_prefilled, kind.name
        assert ("require_evaluated" in params) is kind.takes_require_evaluated, kind.name
    assert registry.rule_kinds() == ("math", "aime", "choice", "code")
    assert registry.text_reference_kinds() == ("math", "aime", "choice")


def test_answer_options_only_what_the_kind_takes():
    both = {"think_prefilled": True, "require_evaluated": True}
    assert registry.answer_options("math", **both) == both
    assert registry.answer_options("choice", **both) == {"think_prefilled": True}
    assert registry.answer_options("repetition", **both) == {}
    assert registry.answer_options("math", think_prefilled=False) == {"think_prefilled": False}
    assert registry.answer_options("tests.pool_helpers:sleep", **both) == {}  # dotted paths take none
    with pytest.raises(ValueError, match="unknown verifier kind"):
        registry.answer_options("maths", **both)


def test_importing_the_registry_imports_no_verifier():
    code = ("import sys, evals.verifiers.registry as r; "
            "print(sorted(m for m in sys.modules if m == 'sympy' or m.startswith('evals.verifiers.math')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_package_surface_is_small_resolves_and_loads_sympy_only_on_use():
    code = ("import sys, evals.verifiers as v; before = 'sympy' in sys.modules; "
            "missing = [n for n in v.__all__ if getattr(v, n, None) is None]; "
            "print(before, missing, 'sympy' in sys.modules, len(v.__all__), hasattr(v, 'extract_answer'))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    # sympy is absent after the import and present once verify_math is resolved (the laziness is real);
    # every exported name resolves; an internal helper is not re-exported (it lives in its submodule)
    assert out.split() == ["False", "[]", "True", "16", "False"]


# ---- a kind registered in a test is used by evaluation, curation and rewards ------------------------

@pytest.fixture
def shout(monkeypatch):
    monkeypatch.setitem(registry.VERIFIERS, SHOUT.name, SHOUT)
    return SHOUT


GOOD, NEAR_MISS = "<think>It is hello.</think> HELLO", "<think>It is hello.</think> hello"


def _samples(problem: Problem, completions: list[str]) -> list[dict]:
    return [{"model": "m", "revision": "r", "prompt_hash": problem.prompt_hash, "sampling_hash": "s",
             "sample_index": i, "benchmark": "toy", "problem_id": problem.id, "completion": c, "reasoning": None,
             "think_prefilled": True, "finish_reason": "stop"} for i, c in enumerate(completions)]


def test_evaluation_scores_with_a_registered_kind(shout, pool):
    from evals.scoring import signal_samples, verify_samples

    problem = Problem("p1", "Say hello.", ({"role": "user", "content": "Say hello."},), "hello")
    bench = Benchmark("toy", verifier="shout", default_samples=2, load=lambda _: [problem], source="test")
    assert bench.answer_equivalence == "letter"  # cons@k groups answers as the kind's record says
    samples = _samples(problem, [GOOD, NEAR_MISS])
    rows = verify_samples(pool, bench, {"p1": problem}, samples)
    assert [(r["verifier"], r["correct"], r["reason"]) for r in rows] == [
        ("shout", True, "correct"), ("shout", False, "wrong_answer")]
    formats = [r for r in signal_samples(bench, {"p1": problem}, samples) if r["verifier"] == "format"]
    assert {r["reason"] for r in formats} == {"wrong_format"}  # wants_boxed: the format check asked for \boxed{}


def test_curation_ingests_and_verifies_with_a_registered_kind(shout):
    from curation.ingest import IngestOptions, prompt_row
    from curation.verify import Verifier, VerifyOptions

    row = prompt_row({"problem": "Say hello.", "answer": "hello", "verifier": "shout"}, 1,
                     IngestOptions(source="x.jsonl", domain="general"), "toy")
    assert (row["verifier"], json.loads(row["reference"])) == ("shout", "hello")
    rows = [{"sample_id": f"s{i}", "prompt_id": row["prompt_id"], "completion": c, "reasoning": None,
             "finish_reason": "stop", "completion_tokens": 10, "think_prefilled": True, "imported_correct": None,
             "verifier": "shout", "reference": row["reference"], "verify_opts": row["verify_opts"], "language": "en"}
            for i, c in enumerate([GOOD, NEAR_MISS])]
    verifier = Verifier(VerifyOptions(workers=1))
    try:
        verdicts, measures, futures = verifier.check_batch(rows)
        for future in futures:
            for slot, signals in zip(future.slots, future.result()):
                slot.update(signals)
    finally:
        verifier.close()
    assert [(v["correct"], v["reason"]) for v in verdicts] == [(True, "correct"), (False, "wrong_answer")]
    format_verdict = next(s for s in measures[0]["signals"] if s["verifier"] == "format")
    assert format_verdict["correct"] is False  # wants_boxed reaches curation's format check too
    assert "boxed" in format_verdict["details"]


def test_grpo_accuracy_reward_uses_a_registered_kind(shout, pool):
    from training.rewards import AccuracyReward, RewardOptions

    reward = AccuracyReward(RewardOptions(think_prefilled=False), pool=pool)
    scores = reward(["p"] * 4, [GOOD, NEAR_MISS, GOOD, GOOD], verifier=["shout", "shout", "none", "format"],
                    reference=[json.dumps("hello")] * 4)  # as training.data.load_prompts writes it
    assert scores == [1.0, 0.0, None, None]  # a curation-only or non-rule kind is no reward


def test_an_unregistered_kind_is_refused_everywhere():
    from curation.ingest import IngestError, IngestOptions, prompt_row

    with pytest.raises(IngestError, match="'shout' is not one of"):
        prompt_row({"problem": "Say hello.", "answer": "hello", "verifier": "shout"}, 1,
                   IngestOptions(source="x.jsonl", domain="general"), "toy")
    with pytest.raises(ValueError, match="unknown verifier kind 'shout'"):
        Benchmark("toy", verifier="shout", default_samples=1, load=lambda _: [], source="test")
    assert not registry.is_rule_based("shout")


# ---- decontamination reads BENCHMARKS; one reasons vocabulary ---------------------------------------

def test_decontamination_checks_every_benchmark_or_says_why_not(tmp_path):
    from curation.decontaminate import DecontaminateOptions, benchmark_index

    lcb = tmp_path / "lcb.jsonl"
    index, status = benchmark_index(DecontaminateOptions(benchmark_data={"livecodebench": str(lcb), "aime26": "x"}))
    assert set(status) == set(BENCHMARKS) | {"aime26"}
    for name, bench in BENCHMARKS.items():
        assert status[name].startswith("checked: " if bench.data_file else "not checked: "), (name, status[name])
    assert "--benchmark-data codeforces=FILE" in status["codeforces"]  # left out silently before
    assert "lcb.jsonl" in status["livecodebench"]  # given, tried, and why it failed
    assert "not a benchmark" in status["aime26"]
    assert {v.partition(":")[0] for v in index.values()} == {"aime24", "aime25", "math500"}


def test_filter_reasons_are_words_of_the_verdict_vocabulary():
    from curation.filters import FUNNEL, FilterOptions, filter_sql
    from evals.verifiers.verdict import CURATION_REASONS, REASONS

    assert not set(REASONS) & set(CURATION_REASONS)
    sql = filter_sql(FilterOptions(max_ngram_rate=0.5))
    assert tuple(re.findall(r"THEN '(\w+)'", sql)) == FUNNEL  # the funnel's order is the SQL's
    assert set(FUNNEL) <= set(REASONS) | set(CURATION_REASONS)
    verify_source = (ROOT / "curation/verify.py").read_text()
    assert {"unverified", "awaiting_judge"} <= set(re.findall(r'"(\w+)"', verify_source)) & set(CURATION_REASONS)


def test_the_text_signals_are_the_registry_kinds_that_are_not_rule_based():
    from evals.verifiers.signals import SIGNALS, text_signals

    assert SIGNALS == ("language", "format", "repetition", "readability")
    assert tuple(text_signals("<think>So.</think> \\boxed{1}")) == SIGNALS
