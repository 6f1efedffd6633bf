"""A synthetic rejection-sampling corpus with planted defects and their labels, to benchmark curation.

    python -m curation.synthetic --samples 800000 --out DIR [--seed 0] [--workers 2] [--samples-per-prompt 8]
                                 [--rates wrong_math=0.3,loop=0.01,...]

DIR gets prompts.parquet, samples/part-*.parquet, labels.parquet and manifest.json (see `generate`).
Domain shares and mean lengths follow the DeepSeek-R1 SFT mix; defects (wrong answers, truncation,
exact/near-duplicate and benchmark-contaminated prompts, mixed language, tail loops) are planted at
known rates, each unambiguous under the curation pipeline's definitions, and clean data is clean
under the same definitions with wide margins. Output depends on the seed and options, never on --workers.
"""
from __future__ import annotations

import argparse
import collections
import json
import math
import multiprocessing
import random
import re
import sys
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import xxhash
from tqdm import tqdm

from . import synthetic_text as T
from .ngrams import jaccard, ngram_hashes, normalized, words
from .synthetic_text import CLEAN, LOOP, MAX_TOKENS, MIXED, TRUNCATED, WRONG, Pools, build_pools, build_sample

DOMAINS = ("math", "code", "stem", "logic", "general")
SHARES = {"math": 395285, "code": 211129, "stem": 10124, "logic": 10395, "general": 177812}  # of 804,745
MEAN_TOKENS = {"math": 6094, "code": 7436, "stem": 4929, "logic": 2739, "general": 1420}
VERIFIER = {"math": "math", "logic": "math", "stem": "choice", "code": "imported", "general": "none"}
REASONING = ("math", "code", "stem", "logic")
MIN_TOKENS, SIGMA = 200, 0.5
ROW_GROUP = 2048  # samples per parquet row group
MODEL = "synthetic-r1"
SAMPLE_KINDS = {WRONG: "wrong_answer", TRUNCATED: "truncated", MIXED: "mixed_language", LOOP: "loop"}
SAMPLE_SCHEMA = pa.schema([("prompt_id", pa.string()), ("sample_index", pa.int32()), ("model", pa.string()),
                           ("completion", pa.string()), ("finish_reason", pa.string()),
                           ("completion_tokens", pa.int32()), ("imported_correct", pa.bool_())])


@dataclass(frozen=True)
class Rates:
    wrong_math: float = 0.30
    wrong_code: float = 0.35
    wrong_stem: float = 0.25
    wrong_logic: float = 0.20
    truncated: float = 0.02  # of reasoning-domain samples
    exact_duplicate: float = 0.01  # of prompts
    near_duplicate: float = 0.01
    contaminated: float = 0.002
    mixed_language: float = 0.02  # of samples
    loop: float = 0.01

    @classmethod
    def parse(cls, text: str | None) -> Rates:
        known = {f.name for f in fields(cls)}
        pairs = [item.split("=", 1) for item in (text or "").split(",") if item.strip()]
        bad = [k for k, *_ in pairs if k.strip() not in known]
        if bad or any(len(p) != 2 for p in pairs):
            raise ValueError(f"--rates takes KEY=VALUE,... with keys {sorted(known)}; got {text!r}")
        return cls(**{k.strip(): float(v) for k, v in pairs})


# ---- benchmarks ---------------------------------------------------------------------------------
def load_benchmarks() -> list[dict]:
    """Benchmark problems as the pipeline's decontamination reads them (same loaders, texts and ids)."""
    from evals.benchmarks import get_benchmark

    return [{"name": name, "id": p.id, "problem": p.text, "answer": str(p.reference)}
            for name in ("math500", "aime24", "aime25") for p in get_benchmark(name).load({})]


def plantable(bench: list[dict]) -> list[dict]:
    """Problems a contaminated plant can copy unambiguously: at least 8 words (the pipeline does not
    look for 8-grams in shorter prompts) and no 8-gram shared with another problem (so the label
    names the one benchmark problem any match points to)."""
    grams = [ngram_hashes(words(b["problem"]), 8) for b in bench]
    owners = collections.Counter(g for gs in grams for g in gs)
    return [b for b, gs in zip(bench, grams) if len(words(b["problem"])) >= 8 and all(owners[g] == 1 for g in gs)]


def benchmark_grams(bench: list[dict]) -> set[int]:
    return set().union(*(ngram_hashes(words(b["problem"]), 8) for b in bench))


def _contaminate(b: dict, variant: bool, r: random.Random, grams: set[int]) -> str:
    """Verbatim, or with a sentence prepended and one number changed, when the edit still shares
    8-grams with this problem and with no other (``grams``: every benchmark problem's)."""
    if variant:
        nums = list(re.finditer(r"\d+", b["problem"]))
        if nums:
            m = r.choice(nums)
            edited = b["problem"][:m.start()] + str(int(m.group()) + r.randint(1, 9)) + b["problem"][m.end():]
            edited = f"{r.choice(('Here is a question.', 'Solve this.', 'Try the following.'))} {edited}"
            own, hits = ngram_hashes(words(b["problem"]), 8), ngram_hashes(words(edited), 8) & grams
            if hits and hits <= own:
                return edited
    return b["problem"]


# ---- prompts ------------------------------------------------------------------------------------
def _exact_copy(text: str, r: random.Random) -> str:
    """The same words, differently cased, spaced and punctuated."""
    edits = r.sample(range(4), r.randint(1, 3))
    out = text
    for e in edits:
        if e == 0:
            out = out.upper() if r.random() < 0.3 else out.lower()
        elif e == 1:
            out = out.replace(". ", ".  ", r.randint(1, 3)).replace(", ", " , ", 1)
        elif e == 2:
            out = out.rstrip(".?!") if out[-1:] in ".?!" else out + "?"
        else:
            out = "  " + out + " \n"
    return out if out != text else text + " "


def _near_copy(text: str, r: random.Random) -> str:
    """One word added at the very start or end: Jaccard of 5-grams n/(n+1) with the original."""
    if r.random() < 0.5:
        return f"{r.choice(('Problem:', 'Question:', 'Task:', 'Exercise:', 'Puzzle:'))} {text}"
    return f"{text} {r.choice(('Thanks.', 'Explain.', 'Hint.', 'Quickly.', 'Carefully.'))}"


def _fresh_prompt(domain: str, r: random.Random, bench: set[int], seen: set[int]) -> dict:
    """A prompt sharing no 8-gram with a benchmark and no normalized text with an earlier prompt."""
    while True:
        p = T.make_prompt(domain, r)
        w = words(p["problem"])
        key = xxhash.xxh3_64_intdigest(" ".join(w).encode())  # a hash, not the text: 250K prompts at full size
        if 40 <= len(w) <= 120 and key not in seen and not (ngram_hashes(w, 8) & bench):
            seen.add(key)
            return p


def _copy_checked(kind: str, orig: str, r: random.Random, bench: set[int]) -> str:
    for _ in range(100):
        text = _exact_copy(orig, r) if kind == "exact_duplicate_prompt" else _near_copy(orig, r)
        w, ow = words(text), words(orig)
        same = normalized(text) == normalized(orig)
        ok = same if kind == "exact_duplicate_prompt" else (
            not same and jaccard(ngram_hashes(w, 5), ngram_hashes(ow, 5)) >= 0.9)
        if ok and not ngram_hashes(w, 8) & bench:
            return text
    raise RuntimeError(f"could not plant a {kind} of {orig[:80]!r}")


def plan_prompts(counts: dict[str, int], spp: dict[str, int], rates: Rates, seed: int,
                 progress: bool) -> tuple[list[dict], list[dict]]:
    """Every prompt (ordered by domain, then id) and the prompt-level labels."""
    everything = load_benchmarks()
    grams, bench = benchmark_grams(everything), plantable(everything)
    n_prompts = {d: math.ceil(counts[d] / spp[d]) for d in DOMAINS}
    n_contam = min(round(rates.contaminated * sum(n_prompts.values())), len(bench), n_prompts["math"])
    seen: set[int] = set()
    prompts, labels = [], []
    bar = tqdm(total=sum(n_prompts.values()), desc="prompts", unit="prompt", file=sys.stderr, disable=not progress)
    for d in DOMAINS:
        r, rng = random.Random(f"{seed}/prompts/{d}"), np.random.default_rng([seed, 1, DOMAINS.index(d)])
        P = n_prompts[d]
        contam = rng.choice(P, n_contam, replace=False) if d == "math" else np.array([], int)
        rest = np.setdiff1d(np.arange(P), contam)
        k_e, k_n = round(rates.exact_duplicate * P), round(rates.near_duplicate * P)
        pairs = np.sort(rng.choice(rest, 2 * (k_e + k_n), replace=False).reshape(-1, 2), axis=1)
        role = {int(c): ("exact_duplicate_prompt" if i < k_e else "near_duplicate_prompt", int(o))
                for i, (o, c) in enumerate(pairs)}
        bench_of = dict(zip(contam.tolist(), rng.permutation(len(bench))[:n_contam].tolist()))
        base = len(prompts)
        for i in range(P):
            pid = f"syn-{d}-{i:06d}"
            if i in bench_of:
                b = bench[bench_of[i]]
                p = {"problem": _contaminate(b, i % 2 == 1, r, grams), "gold": b["answer"],
                     "wrongs": [b["answer"] + "1"]}
                labels.append({"kind": "contaminated_prompt", "prompt_id": pid, "detail": f"{b['name']}:{b['id']}"})
            elif i in role:
                kind, o = role[i]
                orig = prompts[base + o]
                p = {**orig, "problem": _copy_checked(kind, orig["problem"], r, grams)}
                labels.append({"kind": kind, "prompt_id": pid, "detail": orig["prompt_id"]})
            else:
                p = _fresh_prompt(d, r, grams, seen)
            prompts.append({**p, "prompt_id": pid, "domain": d, "clean": i not in bench_of and i not in role})
            bar.update()
    bar.close()
    return prompts, labels


# ---- samples ------------------------------------------------------------------------------------
def domain_counts(samples: int) -> dict[str, int]:
    """Samples per domain in the paper's proportions (largest remainder, so they sum to ``samples``)."""
    total = sum(SHARES.values())
    exact = {d: samples * SHARES[d] / total for d in DOMAINS}
    out = {d: int(v) for d, v in exact.items()}
    for d in sorted(DOMAINS, key=lambda d: out[d] - exact[d])[: samples - sum(out.values())]:
        out[d] += 1
    return out


def _lengths(rng: np.random.Generator, n: int, mean: float, fixed: np.ndarray) -> np.ndarray:
    """Lognormal lengths around ``mean``, clipped to [MIN, MAX]; ``fixed`` ones (truncated) are MAX;
    the rest are rescaled until the mean over all is ``mean``."""
    x = rng.lognormal(math.log(mean) - SIGMA ** 2 / 2, SIGMA, n)
    x[fixed] = MAX_TOKENS
    free = ~fixed
    for _ in range(20):
        if not free.any():
            break
        want = (mean * n - x[fixed].sum()) / free.sum()
        x[free] = np.clip(x[free] * want / x[free].mean(), MIN_TOKENS, MAX_TOKENS)
    return np.rint(x).astype(np.int32)


def plan_samples(prompts: list[dict], counts: dict[str, int], spp: dict[str, int], rates: Rates,
                 seed: int) -> dict[str, np.ndarray]:
    """Per sample: prompt row, sample index, defect and target length (in prompt order)."""
    cols: dict[str, list[np.ndarray]] = {"prompt": [], "index": [], "defect": [], "length": []}
    first = 0
    for di, d in enumerate(DOMAINS):
        rng = np.random.default_rng([seed, 2, di])
        n, k = counts[d], spp[d]
        rows = first + np.arange(n) // k
        first += math.ceil(n / k)
        clean = np.array([prompts[p]["clean"] for p in rows], bool)
        defect = np.zeros(n, np.int8)
        wrong = getattr(rates, f"wrong_{d}", 0.0)
        trunc = rates.truncated if d in REASONING else 0.0
        for code, rate in ((WRONG, wrong), (TRUNCATED, trunc), (MIXED, rates.mixed_language), (LOOP, rates.loop)):
            free = np.flatnonzero(clean & (defect == CLEAN))
            defect[rng.choice(free, min(round(rate * n), len(free)), replace=False)] = code
        cols["prompt"].append(rows)
        cols["index"].append(np.arange(n) % k)
        cols["defect"].append(defect)
        cols["length"].append(_lengths(rng, n, MEAN_TOKENS[d], defect == TRUNCATED))
    return {k: np.concatenate(v) for k, v in cols.items()}


_POOLS: Pools | None = None


def _init_worker(pools: Pools) -> None:
    global _POOLS
    _POOLS = pools


def _write_chunk(task: tuple) -> dict:
    """Build one part file, a row group at a time (so a worker holds little text); returns its stats
    and sample-level labels."""
    chunk, seed, plan, prompts, path = task
    rng = np.random.default_rng([seed, 3, chunk])
    cols: dict[str, list] = {name: [] for name in SAMPLE_SCHEMA.names}
    labels, tokens, nbytes = [], dict.fromkeys(DOMAINS, 0), 0
    with pq.ParquetWriter(path, SAMPLE_SCHEMA, compression="zstd") as writer:
        for i, (prow, index, defect, length) in enumerate(zip(*plan)):
            p = prompts[prow]
            text, ntok, detail = build_sample(_POOLS, p, int(defect), int(length), rng)
            for name, value in zip(SAMPLE_SCHEMA.names, (
                    p["prompt_id"], int(index), MODEL, text, "length" if defect == TRUNCATED else "stop", ntok,
                    bool(defect != WRONG) if p["domain"] == "code" else None)):
                cols[name].append(value)
            tokens[p["domain"]] += ntok
            if defect != CLEAN:
                labels.append({"kind": SAMPLE_KINDS[int(defect)], "prompt_id": p["prompt_id"],
                               "sample_index": int(index), "detail": detail})
            if len(cols["completion"]) == ROW_GROUP or i == len(plan[0]) - 1:
                table = pa.table(cols, schema=SAMPLE_SCHEMA)
                nbytes += int(table.column("completion").chunk(0).buffers()[2].size)
                writer.write_table(table)
                cols = {name: [] for name in SAMPLE_SCHEMA.names}
    return {"chunk": chunk, "labels": labels, "tokens": tokens, "bytes": nbytes, "n": len(plan[0])}


# ---- driver -------------------------------------------------------------------------------------
def _answer_tokens(prompts: list[dict]) -> None:
    """Token counts of each prompt's answers and solutions, counted once here (workers have no tokenizer)."""
    from .synthetic_text import TokenCounter

    count = TokenCounter()
    keyed = [(p, k) for p in prompts if p["domain"] in REASONING for k in ("gold", "solution", "buggy") if p.get(k)]
    for p, k, n in zip(*zip(*keyed), count([p[k] for p, k in keyed]).tolist()):
        p[{"gold": "gold_tok", "solution": "sol_tok", "buggy": "bug_tok"}[k]] = n
    wrong = [(p, w) for p in prompts if p["domain"] in ("math", "logic", "stem") for w in p["wrongs"]]
    for (p, _), n in zip(wrong, count([w for _, w in wrong]).tolist()):
        p.setdefault("wrong_tok", []).append(n)


def _write_prompts(path: Path, prompts: list[dict]) -> int:
    refs = [None if p["gold"] is None else json.dumps(p["gold"]) for p in prompts]
    table = pa.table({
        "prompt_id": [p["prompt_id"] for p in prompts], "domain": [p["domain"] for p in prompts],
        "source": [f"synthetic/{p['domain']}" for p in prompts], "problem": [p["problem"] for p in prompts],
        "verifier": [VERIFIER[p["domain"]] for p in prompts], "reference": pa.array(refs, pa.string()),
        "verify_opts": ['{"n_options": 4}' if p["domain"] == "stem" else "{}" for p in prompts]})
    pq.write_table(table, path, compression="zstd")
    return int(table.column("problem").chunk(0).buffers()[2].size)


def _tasks(out: Path, seed: int, plan: dict[str, np.ndarray], prompts: list[dict], part: int):
    keep = ("prompt_id", "domain", "gold", "wrongs", "gold_tok", "wrong_tok", "solution", "buggy", "sol_tok", "bug_tok")
    for chunk, start in enumerate(range(0, len(plan["prompt"]), part)):
        sl = slice(start, start + part)
        rows = plan["prompt"][sl]
        lo, hi = int(rows[0]), int(rows[-1]) + 1
        slim = [{k: p[k] for k in keep if k in p} for p in prompts[lo:hi]]
        cols = (rows - lo, plan["index"][sl], plan["defect"][sl], plan["length"][sl])
        yield chunk, seed, cols, slim, str(out / "samples" / f"part-{chunk:05d}.parquet")


def generate(out_dir: str | Path, samples: int, seed: int = 0, workers: int = 2, samples_per_prompt: int = 8,
             rates: Rates | None = None, part_samples: int = 10000, progress: bool = True) -> dict:
    """Write the corpus into ``out_dir`` and return its manifest (also written as manifest.json)."""
    rates = rates or Rates()
    out = Path(out_dir)
    (out / "samples").mkdir(parents=True, exist_ok=True)
    for stale in (out / "samples").glob("part-*.parquet"):
        stale.unlink()
    counts = domain_counts(samples)
    spp = {d: 1 if d == "general" else samples_per_prompt for d in DOMAINS}
    if progress:
        print("[synthetic] building sentence pools and counting their tokens", file=sys.stderr)
    pools = build_pools(seed)
    prompts, labels = plan_prompts(counts, spp, rates, seed, progress)
    _answer_tokens(prompts)
    problem_bytes = _write_prompts(out / "prompts.parquet", prompts)
    for p in prompts:  # workers need the answers, not the problem texts
        del p["problem"]
    plan = plan_samples(prompts, counts, spp, rates, seed)
    tasks = _tasks(out, seed, plan, prompts, part_samples)  # lazy: a task holds its prompts' answers
    n_tasks = math.ceil(samples / part_samples)
    results = {}
    bar = tqdm(total=samples, desc="samples", unit="sample", file=sys.stderr, disable=not progress)
    if workers <= 1 or n_tasks == 1:
        _init_worker(pools)
        for task in tasks:
            res = _write_chunk(task)
            results[res["chunk"]] = res
            bar.update(res["n"])
    else:
        ctx = multiprocessing.get_context("spawn")  # no fork of a process that ran the tokenizer's threads
        with ctx.Pool(min(workers, n_tasks), initializer=_init_worker, initargs=(pools,)) as pool:
            for res in pool.imap_unordered(_write_chunk, tasks):
                results[res["chunk"]] = res
                bar.update(res["n"])
    bar.close()
    ordered = [results[c] for c in sorted(results)]
    labels += [row for res in ordered for row in res["labels"]]
    pq.write_table(pa.table({
        "kind": [x["kind"] for x in labels], "prompt_id": [x["prompt_id"] for x in labels],
        "sample_index": pa.array([x.get("sample_index") for x in labels], pa.int32()),
        "detail": [x["detail"] for x in labels]}), out / "labels.parquet", compression="zstd")
    params = {"samples": samples, "seed": seed, "workers": workers, "samples_per_prompt": samples_per_prompt,
              "part_samples": part_samples, "rates": asdict(rates)}
    manifest = _manifest(params, counts, problem_bytes, ordered, prompts, labels, pools)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def _manifest(params: dict, counts: dict[str, int], problem_bytes: int, results: list[dict], prompts: list[dict],
              labels: list[dict], pools: Pools) -> dict:
    tokens = {d: sum(r["tokens"][d] for r in results) for d in DOMAINS}
    kinds = ("exact_duplicate_prompt", "near_duplicate_prompt", "contaminated_prompt", *SAMPLE_KINDS.values())
    return {
        "generator": "curation.synthetic",
        "parameters": {**params, "domain_shares": SHARES, "target_mean_tokens": MEAN_TOKENS, "lognormal_sigma": SIGMA,
                       "min_tokens": MIN_TOKENS, "max_tokens": MAX_TOKENS, "model": MODEL},
        "counts": {d: {"prompts": sum(p["domain"] == d for p in prompts), "samples": counts[d]} for d in DOMAINS},
        "labels": {k: sum(x["kind"] == k for x in labels) for k in kinds},
        "mean_completion_tokens": {"overall": round(sum(tokens.values()) / max(1, params["samples"]), 1),
                                   **{d: round(tokens[d] / max(1, counts[d]), 1) for d in DOMAINS}},
        "text_bytes": {"completions": sum(r["bytes"] for r in results), "problems": problem_bytes},
        "token_counting": {"method": pools.method, "chars_per_token": pools.chars_per_token},
        "parts": len(results),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m curation.synthetic", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, required=True, help="number of samples (completions) to generate")
    parser.add_argument("--out", required=True, help="output directory (created; old part files are replaced)")
    parser.add_argument("--seed", type=int, default=0, help="the output is a function of the seed alone")
    parser.add_argument("--workers", type=int, default=2, help="processes writing part files (default 2)")
    parser.add_argument("--samples-per-prompt", type=int, default=8,
                        help="samples per math/code/stem/logic prompt (general prompts get 1)")
    parser.add_argument("--part-samples", type=int, default=10000, help="samples per part file")
    parser.add_argument("--rates", default=None, metavar="KEY=VALUE,...",
                        help="planted rates to change, keys: " + ", ".join(f"{f.name} (default {f.default})"
                                                                           for f in fields(Rates)))
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    args = parser.parse_args(argv)
    try:
        rates = Rates.parse(args.rates)
    except ValueError as exc:
        parser.error(str(exc))
    manifest = generate(args.out, args.samples, seed=args.seed, workers=args.workers,
                        samples_per_prompt=args.samples_per_prompt, rates=rates, part_samples=args.part_samples,
                        progress=not args.quiet)
    print(json.dumps({k: manifest[k] for k in ("counts", "labels", "mean_completion_tokens", "text_bytes")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
