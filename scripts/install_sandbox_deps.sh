#!/usr/bin/env bash
# The code judge's system dependencies: bubblewrap (namespaces), libseccomp (its system-call filter; the
# pyseccomp wheel wraps it) and g++ (C++ submissions); and the app's
# browser test's: Chromium and its WebDriver (Debian's chromium, chromium-driver).
# Idempotent; uses sudo when not root. cgroups come with the kernel: `python -m evals judge --check`.
set -euo pipefail
need=()
command -v bwrap >/dev/null || need+=(bubblewrap)
command -v g++ >/dev/null || need+=(g++)
ldconfig -p 2>/dev/null | grep -q 'libseccomp\.so' || need+=(libseccomp2)
command -v chromium >/dev/null || command -v chromium-browser >/dev/null || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if command -v apt-get >/dev/null; then
  $SUDO apt-get install -y "${need[@]}" >/dev/null 2>&1 || { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y "${need[@]}"; }
elif command -v dnf >/dev/null; then
  $SUDO dnf install -y bubblewrap libseccomp gcc-c++ chromium chromedriver
else
  echo "install bubblewrap, libseccomp, g++, chromium and its chromedriver with your package manager" >&2
  exit 1
fi
