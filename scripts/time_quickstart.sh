#!/usr/bin/env bash
# Time the README's quickstart run and print the machine's load beside it.
#   scripts/time_quickstart.sh                 # the quickstart with this checkout's python (a ready venv)
#   FRESH=1 scripts/time_quickstart.sh         # from a fresh clone into a temp dir: venv + pip install -e ".[hf]"
# The run itself is timed separately from the install (the install depends on the network, the run on the CPU).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ARGS=(run --model smollm2-135m-instruct --limit 16 --max-tokens 256)   # keep in step with README "Quickstart"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
if [[ "${FRESH:-0}" == 1 ]]; then
    git clone --quiet "$ROOT" "$WORK/r1-evals"
    cd "$WORK/r1-evals"
    start=$(date +%s)
    python3 -m venv .venv && .venv/bin/pip install --quiet -e ".[hf]"
    echo "install: $(( $(date +%s) - start )) s"
    PY="$WORK/r1-evals/.venv/bin/python"
else
    cd "$ROOT"
    PY="${PYTHON:-python}"
fi
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s)
"$PY" -m evals "${ARGS[@]}" --db "$WORK/store"
echo "quickstart run: $(( $(date +%s) - start )) s (model preparation included); load after: $(cut -d' ' -f1-3 /proc/loadavg)"
