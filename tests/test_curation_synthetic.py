"""The synthetic corpus generator: shape, determinism, and that every planted defect (and only it) is
what the pipeline's own definitions see. One ~3,000-sample corpus is shared; slow checks use subsets."""
from __future__ import annotations

import collections
import hashlib
import itertools
import json
import random
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from curation.ngrams import jaccard, ngram_hashes, normalized, words
from evals.verifiers.answer_region import split_answer_region
from evals.verifiers.readability import code_blocks, longest_paragraph

from .fixtures import synthetic_corpus as S
from .fixtures import synthetic_text as T

N = 3000


def _read(out: Path) -> dict:
    samples = pa.concat_tables([pq.read_table(p) for p in sorted((out / "samples").glob("part-*.parquet"))])
    return {"prompts": pq.read_table(out / "prompts.parquet"), "samples": samples,
            "labels": pq.read_table(out / "labels.parquet"),
            "manifest": json.loads((out / "manifest.json").read_text())}


def _digests(out: Path) -> dict[str, str]:
    return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.rglob("*.parquet"))}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("syn") / "a"
    S.generate(out, N, seed=0, workers=2, part_samples=1000, progress=False)
    data = _read(out)
    data["out"] = out
    data["by_id"] = {p["prompt_id"]: p for p in data["prompts"].to_pylist()}
    data["rows"] = data["samples"].to_pylist()
    labels = data["labels"].to_pylist()
    data["prompt_flags"] = {x["prompt_id"]: x for x in labels if x["sample_index"] is None}
    data["sample_kind"] = {(x["prompt_id"], x["sample_index"]): x for x in labels if x["sample_index"] is not None}
    return data


def _kind(corpus, row) -> str:
    label = corpus["sample_kind"].get((row["prompt_id"], row["sample_index"]))
    return label["kind"] if label else "clean"


def _pick(corpus, kind: str, k: int, seed: int = 0) -> list[dict]:
    rows = [r for r in corpus["rows"] if _kind(corpus, r) == kind]
    return random.Random(seed).sample(rows, min(k, len(rows)))


def _reasoning(row) -> str:
    return split_answer_region(row["completion"], finish_reason=row["finish_reason"]).reasoning


def test_schema_and_dtypes(corpus):
    assert corpus["prompts"].schema.names == ["prompt_id", "domain", "source", "problem", "verifier", "reference",
                                              "verify_opts"]
    assert all(t == pa.string() for t in corpus["prompts"].schema.types)
    assert corpus["samples"].schema == S.SAMPLE_SCHEMA
    assert corpus["labels"].schema.field("sample_index").type == pa.int32()
    prompts = corpus["by_id"]
    assert len(prompts) == corpus["prompts"].num_rows and corpus["samples"].num_rows == N
    for p in prompts.values():
        assert p["verifier"] == S.VERIFIER[p["domain"]] and p["source"] == f"synthetic/{p['domain']}"
        assert (p["reference"] is None) == (p["domain"] in ("code", "general"))
        if p["domain"] == "stem":
            assert json.loads(p["reference"]) in "ABCD" and json.loads(p["verify_opts"]) == {"n_options": 4}
            assert all(f"\n({c}) " in p["problem"] for c in "ABCD")
    for r in corpus["rows"]:
        assert (r["imported_correct"] is None) == (prompts[r["prompt_id"]]["domain"] != "code")
        assert r["completion"].startswith("<think>\n") and r["model"] == S.MODEL


def test_domain_shares_and_lengths(corpus):
    manifest = corpus["manifest"]
    counts = collections.Counter(corpus["by_id"][r["prompt_id"]]["domain"] for r in corpus["rows"])
    total = sum(S.SHARES.values())
    for d in S.DOMAINS:
        assert counts[d] == manifest["counts"][d]["samples"]
        assert abs(counts[d] / N - S.SHARES[d] / total) < 0.002
        tokens = [r["completion_tokens"] for r in corpus["rows"] if corpus["by_id"][r["prompt_id"]]["domain"] == d]
        assert abs(sum(tokens) / len(tokens) / S.MEAN_TOKENS[d] - 1) < 0.02, d
        assert min(tokens) >= 150 and max(tokens) <= S.MAX_TOKENS
    assert abs(manifest["mean_completion_tokens"]["overall"] / 5355 - 1) < 0.02


def test_token_counts_match_the_tokenizer(corpus):
    counter = T.TokenCounter()
    if counter.method != "smollm2_tokenizer":
        pytest.skip("the embedded tokenizer is not prepared; counts use 4 characters per token")
    rows = random.Random(1).sample(corpus["rows"], 20)
    for r, real in zip(rows, counter([r["completion"] for r in rows]).tolist()):
        assert abs(real / r["completion_tokens"] - 1) < 0.03


def test_token_counter_falls_back_to_a_ratio(monkeypatch):
    from evals import embedded

    monkeypatch.setattr(embedded, "is_ready", lambda: False)
    counter = T.TokenCounter()
    assert counter.method == "chars_per_token" and counter(["x" * 40, "ab"]).tolist() == [10, 1]


def test_label_counts_match_manifest(corpus):
    counts = collections.Counter(corpus["labels"].column("kind").to_pylist())
    assert dict(counts) == {k: v for k, v in corpus["manifest"]["labels"].items() if v}
    assert counts["exact_duplicate_prompt"] and counts["near_duplicate_prompt"] and counts["contaminated_prompt"]
    planted = [(x["prompt_id"], x["sample_index"]) for x in corpus["labels"].to_pylist()
               if x["sample_index"] is not None]
    assert len(planted) == len(set(planted))  # at most one defect per sample
    assert not {pid for pid, _ in planted} & set(corpus["prompt_flags"])  # and only in clean prompts


def test_deterministic_whatever_the_workers(corpus, tmp_path):
    S.generate(tmp_path / "b", N, seed=0, workers=1, part_samples=1000, progress=False)
    assert _digests(tmp_path / "b") == _digests(corpus["out"])
    counts, spp = S.domain_counts(300), dict.fromkeys(S.DOMAINS, 8)
    other = S.plan_prompts(counts, spp, S.Rates(), seed=1, progress=False)[0]
    assert other[0]["problem"] != corpus["prompts"].column("problem")[0].as_py()


def test_duplicate_prompts(corpus):
    prompts, flags = corpus["by_id"], corpus["prompt_flags"]
    order = {pid: i for i, pid in enumerate(prompts)}
    for pid, label in flags.items():
        if label["kind"] not in ("exact_duplicate_prompt", "near_duplicate_prompt"):
            continue
        copy, orig = prompts[pid]["problem"], prompts[label["detail"]]["problem"]
        assert order[label["detail"]] < order[pid] and label["detail"] not in flags  # the original comes first
        if label["kind"] == "exact_duplicate_prompt":
            assert normalized(copy) == normalized(orig) and copy != orig
        else:
            assert normalized(copy) != normalized(orig)
            assert jaccard(ngram_hashes(words(copy), 5), ngram_hashes(words(orig), 5)) >= 0.9
    clean = [p["problem"] for pid, p in prompts.items() if pid not in flags]
    assert len({normalized(p) for p in clean}) == len(clean)
    assert all(40 <= len(words(p)) <= 120 for p in clean)


def _max_pairwise_jaccard(texts: list[str]) -> float:
    """Exact Jaccard of every pair, as a matrix product over the 5-grams that two or more texts hold."""
    sets = [ngram_hashes(words(t), 5) for t in texts]
    seen = collections.Counter(g for grams in sets for g in grams)
    column = {g: i for i, g in enumerate(g for g, n in seen.items() if n > 1)}
    m = np.zeros((len(sets), max(1, len(column))), np.float32)
    for row, grams in enumerate(sets):
        m[row, [column[g] for g in grams if g in column]] = 1
    inter = m @ m.T
    size = np.array([len(g) for g in sets], np.float32)
    scores = inter / (size[:, None] + size[None, :] - inter)
    np.fill_diagonal(scores, 0)
    return float(scores.max())


def test_clean_prompts_are_far_apart(corpus):
    clean = [p["problem"] for pid, p in corpus["by_id"].items() if pid not in corpus["prompt_flags"]]
    assert _max_pairwise_jaccard(clean) <= 0.3
    r = random.Random(7)
    for domain in S.DOMAINS:
        assert _max_pairwise_jaccard([T.make_prompt(domain, r)["problem"] for _ in range(2000)]) <= 0.3, domain


def test_contamination(corpus):
    bench = S.load_benchmarks()
    grams = S.benchmark_grams(bench)
    own = {f"{b['name']}:{b['id']}": ngram_hashes(words(b["problem"]), 8) for b in bench}
    for pid, p in corpus["by_id"].items():
        label = corpus["prompt_flags"].get(pid)
        tokens = words(p["problem"])
        hits = ngram_hashes(tokens, 8) & grams
        assert bool(hits) == (label is not None and label["kind"] == "contaminated_prompt"), pid
        if hits:  # long enough to be checked, and every hit points to the labelled problem
            assert len(tokens) >= 8 and hits <= own[label["detail"]]


def test_answers_verify_as_labelled(corpus):
    from evals.verifiers.choice import verify_choice
    from evals.verifiers.math_verifier import verify_math

    rows = _pick(corpus, "wrong_answer", 40) + _pick(corpus, "clean", 60) + _pick(corpus, "loop", 10)
    for r in rows:
        p = corpus["by_id"][r["prompt_id"]]
        expect = _kind(corpus, r) != "wrong_answer"
        if p["verifier"] == "math":
            assert verify_math(r["completion"], json.loads(p["reference"]), finish_reason="stop").correct == expect
        elif p["verifier"] == "choice":
            assert verify_choice(r["completion"], json.loads(p["reference"]), n_options=4).correct == expect
        elif p["verifier"] == "imported":
            assert r["imported_correct"] == expect
    for r in _pick(corpus, "truncated", 20):
        assert r["finish_reason"] == "length" and "</think>" not in r["completion"]
        assert split_answer_region(r["completion"], finish_reason="length").truncated
        assert not r["completion"].rstrip()[-1] in ".?!"
    assert all(r["finish_reason"] == "stop" for r in corpus["rows"] if _kind(corpus, r) != "truncated")


def test_loops(corpus):
    from evals.verifiers.repetition import repetition

    for r in _pick(corpus, "loop", 15):
        found = repetition(_reasoning(r))
        detail = corpus["sample_kind"][(r["prompt_id"], r["sample_index"])]["detail"]
        assert found.loop and found.loop_repeats >= 6, detail
    for r in _pick(corpus, "clean", 30) + _pick(corpus, "mixed_language", 5):
        assert not repetition(_reasoning(r)).loop


def test_language(corpus):
    from evals.verifiers.language import language_consistency

    mixed = _pick(corpus, "mixed_language", 10)
    assert {corpus["sample_kind"][(r["prompt_id"], r["sample_index"])]["detail"] for r in mixed} <= {"zh", "fr", "es",
                                                                                                       "de"}
    for r in mixed:
        assert language_consistency(_reasoning(r), "en").score < 0.85
    for r in _pick(corpus, "clean", 8) + _pick(corpus, "wrong_answer", 4) + _pick(corpus, "loop", 2):
        assert language_consistency(_reasoning(r), "en").score >= 0.99


def test_pool_sentences_alone():
    from evals.verifiers.language import language_consistency

    pools, r = T.build_pools(0), random.Random(3)
    for pool in [*pools.reasoning.values(), *pools.first.values(), pools.general_answer]:
        for sentence in r.sample(pool.text, 40):
            assert language_consistency(sentence, "en").score in (None, 1.0), sentence
    for lang, pool in pools.foreign.items():
        for sentence in r.sample(pool.text, 15):
            assert language_consistency(sentence, "en").score == 0.0, (lang, sentence)


def test_readability_and_distinct_samples(corpus):
    for r in corpus["rows"]:
        domain = corpus["by_id"][r["prompt_id"]]["domain"]
        if domain != "code":
            assert code_blocks(_reasoning(r)) == 0
    for r in _pick(corpus, "clean", 300) + _pick(corpus, "loop", 20) + _pick(corpus, "mixed_language", 20):
        assert longest_paragraph(_reasoning(r)) <= 250
    by_prompt = collections.defaultdict(list)
    for r in corpus["rows"]:
        if corpus["by_id"][r["prompt_id"]]["domain"] != "general":
            by_prompt[r["prompt_id"]].append(r)
    for pid in random.Random(5).sample(sorted(by_prompt), 12):
        sets = [ngram_hashes(words(_reasoning(r)), 5) for r in by_prompt[pid]]
        assert max(jaccard(a, b) for a, b in itertools.combinations(sets, 2)) < 0.2


def test_cli_help_and_rates(capsys):
    with pytest.raises(SystemExit) as exc:
        S.main(["--help"])
    assert exc.value.code == 0 and "--samples-per-prompt" in capsys.readouterr().out
    assert S.Rates.parse("loop=0.05, wrong_math=0.1") == S.Rates(loop=0.05, wrong_math=0.1)
    with pytest.raises(ValueError):
        S.Rates.parse("loops=0.1")
