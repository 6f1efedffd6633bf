"""Library code raises typed errors (evals.errors); only the command lines turn them into a message and an
exit code. And the run configuration's flags come from one dataclass, the protocol's defaults from one place."""
from __future__ import annotations

import ast
import dataclasses
import json
from pathlib import Path

import pytest

from evals import cli as evals_cli
from evals.config import R1_PROTOCOL, GenerationConfig, RunConfig
from evals.errors import ConfigError, DataError, R1EvalsError, SetupError, UsageError
from tests.conftest import ROOT

# The command lines (and the judge harness, a standalone script run inside the sandbox) may exit.
EXITS_ALLOWED = {"evals/judge/harness.py"}
PACKAGES = ("evals", "curation", "training", "leaderboards", "app")


def exits(source: str) -> list[int]:
    """Lines that raise SystemExit or call sys.exit/exit outside an `if __name__ == "__main__":` block."""
    tree = ast.parse(source)
    guarded = {id(node) for top in tree.body if _is_main_guard(top) for node in ast.walk(top)}
    lines = []
    for node in ast.walk(tree):
        if id(node) in guarded:
            continue
        if isinstance(node, ast.Raise) and node.exc is not None:
            target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(target, ast.Name) and target.id == "SystemExit":
                lines.append(node.lineno)
        if isinstance(node, ast.Call) and ast.unparse(node.func) in ("sys.exit", "exit", "quit", "os._exit"):
            lines.append(node.lineno)
    return lines


def _is_main_guard(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and ast.unparse(node.test) in ("__name__ == '__main__'", "'__main__' == __name__")


def library_modules() -> list[Path]:
    return [path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))
            if path.name not in ("cli.py", "__main__.py") and str(path.relative_to(ROOT)) not in EXITS_ALLOWED]


@pytest.mark.parametrize("source, flagged", [
    ("def f():\n    raise SystemExit('no such file')\n", [2]),
    ("def f():\n    raise SystemExit\n", [2]),
    ("import sys\ndef f():\n    sys.exit(2)\n", [3]),
    ("if __name__ == '__main__':\n    import sys\n    sys.exit(main())\n", []),  # a script's entry point
    ("def f():\n    raise ConfigError('bad key')\n", []),
    ("try:\n    pass\nexcept SystemExit:\n    raise\n", []),
])
def test_exit_detector(source, flagged):
    assert exits(source) == flagged


def test_no_library_module_exits():
    modules = library_modules()
    assert len(modules) > 50 and ROOT / "evals" / "runner.py" in modules  # the walk found the packages
    offenders = {str(path.relative_to(ROOT)): lines for path in modules
                 if (lines := exits(path.read_text(encoding="utf-8")))}
    assert offenders == {}, "raise a typed error from evals.errors instead; the CLIs map it to an exit code"


def test_typed_errors_are_not_mistaken_for_bugs():
    # `evals run` turns ValueError / FileNotFoundError into exit 2 and RuntimeError into exit 1 with a
    # resume hint: a typed error must reach the generic handler instead, with its own exit code.
    for cls in (UsageError, ConfigError, DataError, SetupError):
        assert issubclass(cls, R1EvalsError) and not issubclass(cls, (ValueError, OSError, RuntimeError))
        assert cls("x").exit_code == 1  # what `raise SystemExit(message)` gave before


# (CLI module, arguments, exit code, the whole of stderr as before the typed errors; {tmp}: the test's directory;
# a message that does not end in a newline is checked as a prefix)
CLI_ERRORS = [
    ("evals.cli", "run --model test/fake --backend openai --db {tmp}/db", 1,
     "--backend openai needs --base-url (e.g. http://127.0.0.1:8000/v1 from `vllm serve`)\n"),
    ("curation.cli", "status --workdir {tmp}/never", 1,
     "{tmp}/never/curation.duckdb does not exist: run `python -m curation ingest` first\n"),
    ("curation.cli", "judge --workdir {tmp}/w", 1,
     "judge needs --base-url (an OpenAI-compatible endpoint) and --judge-model\n"),
    ("curation.cli", "verify --workdir {tmp}/w --config {tmp}/missing.toml", 1,
     "--config {tmp}/missing.toml: no such file\n"),
    ("curation.cli", "verify --workdir {tmp}/w --config {tmp}/bad.toml", 1,
     "--config {tmp}/bad.toml: not valid TOML: Expected '=' after a key in a key/value pair (at line 1, column 5)\n"),
    ("curation.cli", "verify --workdir {tmp}/w --config {tmp}/unknown.toml", 1,
     "config: unknown keys ['bogus'] for VerifyOptions; known: ['workers', 'batch_size', 'timeout', 'limit', "
     "'require_evaluated', 'ray']\n"),
    ("curation.cli", "samples add {tmp}/none.jsonl --name x --workdir {tmp}/w", 1,
     "no such sample file: {tmp}/none.jsonl\n"),
    ("curation.cli", "samples add {tmp}/stray.jsonl --name x --workdir {tmp}/w", 1,
     "source 'x': 1 samples name prompts that were never ingested (e.g. 'nope'); ingest their prompt set first\n"),
    ("curation.cli", "export --workdir {tmp}/w --formats bogus", 1,
     "unknown export format ['bogus']; use ('messages', 'prompt_completion')\n"),
    ("training.cli", "grpo --config {tmp}/unknown.toml", 1, "config: unknown keys ['learning_rat'] for GRPOOptions; "),
    ("leaderboards.cli", "build --db {tmp}/nodb", 2, "error: {tmp}/nodb: "),
]


@pytest.mark.parametrize("module, argv, code, stderr", CLI_ERRORS, ids=[f"{c[0]} {c[1].split()[0]}-{i}"
                                                                        for i, c in enumerate(CLI_ERRORS)])
def test_clis_map_typed_errors_to_the_same_exit_codes_and_messages(tmp_path, capsys, module, argv, code, stderr):
    import importlib

    (tmp_path / "bad.toml").write_text("not toml = = \n")
    (tmp_path / "unknown.toml").write_text('[grpo]\npreset = "cpu"\nlearning_rat = 1e-5\n[verify]\nbogus = 1\n')
    (tmp_path / "stray.jsonl").write_text(json.dumps({"prompt_id": "nope", "completion": "x"}) + "\n")
    main = importlib.import_module(module).main
    assert main(argv.format(tmp=tmp_path).split()) == code
    err, expected = capsys.readouterr().err, stderr.format(tmp=tmp_path)
    assert err == expected if expected.endswith("\n") else err.startswith(expected), err


def test_an_unexpected_exception_is_not_swallowed(monkeypatch):
    # Only the typed errors become messages: a bug still surfaces with its traceback.
    def broken(args):
        raise KeyError("bug")

    monkeypatch.setattr(evals_cli, "_dispatch", broken)
    with pytest.raises(KeyError):
        evals_cli.main(["models"])


# ---- the run configuration -------------------------------------------------------------------

def _run_args(*argv: str):
    parser = evals_cli._build_parser()
    return evals_cli.build(RunConfig, {}, parser.parse_args(["run", *argv]))


def test_run_flags_come_from_the_dataclass():
    assert _run_args() == RunConfig()  # no flag: every default is the dataclass's
    got = _run_args("--model", "m", "--benchmark", "aime24,math500", "-k", "4", "--limit", "3", "--backend", "hf",
                    "--temperature", "1.0", "--top-p", "0.9", "--max-tokens", "64", "--seed", "7", "--shard", "1/4",
                    "--engine-arg", "tensor_parallel_size=2", "--engine-arg", "enforce_eager=true",
                    "--replay", "a.jsonl", "--replay", "b.csv", "--data", "gpqa_diamond=g.csv", "--data", "aime24=123",
                    "--verify-workers", "2", "--verify-timeout", "1.5", "--db", "d")
    assert got == RunConfig(model="m", benchmarks=["aime24", "math500"], samples=4, limit=3, backend="hf",
                            temperature=1.0, top_p=0.9, max_tokens=64, seed=7, shard=(1, 4),
                            engine_args={"tensor_parallel_size": 2, "enforce_eager": True},
                            replay=["a.jsonl", "b.csv"], data={"gpqa_diamond": "g.csv", "aime24": "123"},
                            verify_workers=2, verify_timeout=1.5, db="d")
    assert _run_args("--samples", "8").samples == 8
    with pytest.raises(SystemExit):  # argparse's own refusal, as before
        _run_args("--bogus")


def test_every_run_field_is_a_documented_flag(capsys):
    with pytest.raises(SystemExit):
        evals_cli.main(["run", "--help"])
    out = capsys.readouterr().out
    flags = {"benchmarks": "--benchmark", "engine_args": "--engine-arg", "samples": "-k SAMPLES"}
    for f in dataclasses.fields(RunConfig):
        assert f.metadata.get("help"), f.name  # said once, beside the field
        assert flags.get(f.name, "--" + f.name.replace("_", "-")) in out, f.name
    description = " ".join(out.split())  # argparse wraps it to the terminal
    assert "95% bootstrap CI" in description and "%%" not in out
    assert f"temperature {R1_PROTOCOL.temperature}, top-p {R1_PROTOCOL.top_p}, 32,768 new tokens" in description


def test_the_help_states_each_benchmarks_k():
    # The run help quotes the R1 protocol's k; the benchmarks own it (default_samples): keep them in step.
    from evals.benchmarks import BENCHMARKS

    parser = evals_cli._build_parser()
    run = parser._subparsers._group_actions[0].choices["run"]
    for bench, label in (("aime24", "AIME"), ("aime25", "AIME"), ("math500", "MATH-500"), ("gpqa_diamond", "GPQA")):
        assert f"{BENCHMARKS[bench].default_samples} ({label})" in run.description


def test_protocol_defaults_are_read_from_one_place():
    from curation.filters import FilterOptions
    from evals.backends import Sampling
    from evals.benchmarks import R1_INSTRUCTION
    from evals.models import MODELS
    from leaderboards.measured import R1_SAMPLING
    from training.presets import GRPO_PRESETS

    r1 = R1_PROTOCOL
    assert (Sampling().temperature, Sampling().top_p, Sampling().max_tokens) == (r1.temperature, r1.top_p,
                                                                                  r1.max_tokens)
    assert (RunConfig().temperature, RunConfig().top_p) == (r1.temperature, r1.top_p)
    assert R1_SAMPLING == {"temperature": r1.temperature, "top_p": r1.top_p, "max_tokens": r1.max_tokens}
    assert MODELS["deepseek-r1-distill-qwen-7b"].max_tokens == r1.max_tokens == FilterOptions().max_tokens
    assert GRPO_PRESETS["r1_zero"]["max_completion_length"] == r1.max_tokens
    assert R1_INSTRUCTION == r1.instruction and r1.instruction.endswith("within \\boxed{}.")
    # the paper's numbers, and the sampling hash every stored R1 sample is keyed by
    assert (r1.temperature, r1.top_p, r1.max_tokens) == (0.6, 0.95, 32768)
    assert Sampling().hash == "265fc89142e0d1fc"


def test_curation_generate_shares_the_generation_fields():
    from curation.generate import GenerateOptions

    shared = {f.name for f in dataclasses.fields(GenerationConfig)}
    assert shared <= {f.name for f in dataclasses.fields(GenerateOptions)}
    assert shared <= {f.name for f in dataclasses.fields(RunConfig)}
    options = GenerateOptions(model="m", max_tokens=96, temperature=0.7, engine_args={"a": 1}, shard=(1, 2))
    assert (GenerateOptions().samples, GenerateOptions().temperature) == (16, 1.0)  # the review's recipe
    from evals.config import run_config

    config = run_config(options, db="store")
    assert (config.model, config.max_tokens, config.temperature, config.engine_args, config.shard, config.db) == \
        ("m", 96, 0.7, {"a": 1}, (1, 2), "store")
