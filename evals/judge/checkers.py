"""Checkers: how a test's output is accepted when comparing it with the expected text is not enough.

A problem's ``checker`` field is one of:

* ``None``: LiveCodeBench's comparison (``compare.compare_stdout``: lines, whitespace, floats 1e-6);
* a stock name, run here in the judge: ``wcmp`` (token sequence, exact), ``lcmp`` (lines of
  tokens, exact), ``rcmp4`` / ``rcmp6`` / ``rcmp9`` (tokens, floats within 1e-4 / 1e-6 / 1e-9,
  absolute or relative, as testlib), ``yesno`` (one YES/NO token, any case);
* a program, in C++ (``#include`` anywhere in it) or Python: testlib's convention,
  ``checker INPUT OUTPUT ANSWER`` (files), exit code 0 OK, 1 WA, 2 PE, 3 FAIL, 7 points. It runs in
  its own sandbox, never the solution's; a crash (a Python checker's uncaught exception too), a
  hang, FAIL, an unknown exit code, a compile error or a dead sandbox is a ``judge_error`` (the
  jury's fault, retried once), never a wrong answer. A one-word checker that is no stock name is
  refused when the problem is made (``problems.STOCK_CHECKERS``), never run as code. ``testlib.h``
  ships with the judge, and a C++ checker is compiled once and cached (``evals.judge.jury``).

Interactors (interactive problems) are in ``evals.judge.interaction``.
"""
from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path

from evals.judge.compare import checker_verdict, compare_stdout, compare_tokens
from evals.judge.jury import JuryError, jury_box
from evals.judge.problems import STOCK_CHECKERS, checker_error
from evals.judge.sandbox import Limits

CHECKER_LIMITS = Limits(cpu_s=10, wall_s=30, memory_mb=512)


class CheckerError(RuntimeError):
    """The checker itself failed (crashed, hung, refused to compile, said FAIL): a judge error."""


def _read(path: str | Path) -> str:
    return Path(path).read_bytes().decode("utf-8", errors="surrogateescape")


def _yesno(got: str, want: str) -> tuple[bool, str]:
    token = got.split()
    if len(token) != 1 or token[0].lower() not in ("yes", "no"):
        return False, f"expected one YES or NO, got {got[:40]!r}"
    if token[0].lower() != want.strip().lower():
        return False, f"expected {want.strip()!r} got {token[0]!r}"
    return True, ""


STOCK = {
    "lcmp": lambda got, want: compare_stdout(got, want, float_tol=None),
    "wcmp": lambda got, want: compare_tokens(got, want),
    "rcmp4": lambda got, want: compare_tokens(got, want, float_tol=1e-4),
    "rcmp6": lambda got, want: compare_tokens(got, want, float_tol=1e-6),
    "rcmp9": lambda got, want: compare_tokens(got, want, float_tol=1e-9),
    "yesno": _yesno,
}
assert tuple(STOCK) == STOCK_CHECKERS, "problems.STOCK_CHECKERS names what load-time validation accepts"


class Checker:
    """Default: LiveCodeBench's comparison. ``check`` returns (reason, explanation)."""

    def check(self, test_input: str, output_path: str, expected: str) -> tuple[str, str]:
        ok, why = compare_stdout(_read(output_path), expected)
        return ("correct" if ok else "wrong_answer"), why


class StockChecker(Checker):
    def __init__(self, name: str):
        self.compare = STOCK[name]

    def check(self, test_input: str, output_path: str, expected: str) -> tuple[str, str]:
        ok, why = self.compare(_read(output_path), expected)
        return ("correct" if ok else "wrong_answer"), why


class ProgramChecker(Checker):
    """A testlib-style checker program, built once (cached by content hash, ``evals.judge.jury``) and
    run per test in its own sandbox."""

    def __init__(self, source: str, slot: int):
        self.source, self.slot = source, slot
        self._start()

    def _start(self) -> None:
        try:
            self.box = jury_box(self.source, self.slot)
        except JuryError as exc:
            raise CheckerError(str(exc)) from exc

    def check(self, test_input: str, output_path: str, expected: str) -> tuple[str, str]:
        failure = ""
        for _ in range(2):  # a crash, a hang or a dead sandbox is retried once before it is a judge error
            if not self.box.alive():  # its sandbox died (e.g. killed): a fresh one, checker built again
                self.box.close()
                self._start()
            self.box.write("input.txt", test_input)
            shutil.copyfile(output_path, self.box.box_dir / "output.txt")
            self.box.write("answer.txt", expected)
            run = self.box.run_program(self._empty(), CHECKER_LIMITS, args=["/box/input.txt", "/box/output.txt", "/box/answer.txt"])
            if run.status in ("ok", "runtime_error") and run.signal is None:
                reason = checker_verdict(run.exit_code or 0)
                if reason != "judge_error":
                    return reason, run.stderr_tail.strip()[-500:]
            failure = f"checker {run.status}, exit {run.exit_code}, signal {run.signal}: {run.stderr_tail[-500:]}"
        raise CheckerError(failure)

    def _empty(self) -> Path:
        path = self.box.io_dir / "empty.in"
        path.write_bytes(b"")
        return path

    def close(self) -> None:
        self.box.close()


@contextmanager
def open_checker(spec: str | None, slot: int = 0):
    """The checker for a problem's ``checker`` field; a program's sandbox lives for the block."""
    if spec is None:
        yield Checker()
    elif spec.strip() in STOCK:
        yield StockChecker(spec.strip())
    elif checker_error(spec):  # a problem that skipped validation: still never run a name as code
        raise CheckerError(str(checker_error(spec)))
    else:
        checker = ProgramChecker(spec, slot)
        try:
            yield checker
        finally:
            checker.close()
