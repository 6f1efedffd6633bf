"""Typed errors of the library; only the command lines (evals/cli.py, curation/cli.py, training/cli.py,
leaderboards/cli.py) turn them into a message on stderr and an exit code.

    raise ConfigError(f"--config {path}: no such file")      # library code
    return report_errors(_dispatch, args)                    # a CLI

They are not ValueError or RuntimeError, so no `except ValueError` on the way up mistakes them for a
bug's symptom. Exit code 1 throughout: what `raise SystemExit(message)` gave before they existed.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable


class R1EvalsError(Exception):
    """A request that cannot be carried out; the message says what to change."""

    exit_code = 1


class UsageError(R1EvalsError):
    """Options that are missing or cannot work together (`--backend openai` without `--base-url`)."""


class ConfigError(R1EvalsError):
    """A config file, preset or option value that cannot be used."""


class DataError(R1EvalsError):
    """Input files or records that are missing or malformed."""


class SetupError(R1EvalsError):
    """This machine lacks what the request needs: a package or a GPU."""


def report_errors(dispatch: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run a CLI's ``dispatch``; a typed error becomes its message on stderr and its exit code."""
    try:
        return dispatch(args)
    except R1EvalsError as exc:
        print(exc, file=sys.stderr)
        return exc.exit_code
