"""Jury programs (checkers, interactors): testlib shipped, each built once and cached by content hash.

Usage::

    from evals.judge.jury import JuryError, jury_box

    box = jury_box(source, slot)   # a started Box whose program is the built checker/interactor
    box.run_program(stdin, limits, args=[...])

* ``testlib.h`` ships in ``evals/judge/testlib/`` (MIT, MikeMirzayanov/testlib; the commit is in
  ``testlib/SOURCE.md``): a C++ source that includes it compiles with no setup. ``R1_EVALS_TESTLIB``
  names another directory holding a ``testlib.h`` to use instead (e.g. a newer release).
* A source that ``#include``s anything is C++, anything else Python (open-r1's generated checkers).
* C++ is compiled once, inside a sandbox (g++ -O2 -std=c++17, ``sandbox.CXX``), and the binary is
  kept in ``R1_EVALS_CACHE`` (default ``~/.cache/r1-evals``) under ``jury/<sha256>``, the hash of
  the source, the testlib header used, the compiler command and ``g++ --version``: a problem judged
  for 16 samples, or again next month, compiles its checker once. Only the judge writes the cache
  (from the build sandbox's output), never a sandboxed program.
* A precompiled testlib.h (.gch) was measured (``scripts/bench_judge.py --jury``) and is not used:
  testlib checkers spend their compile time in -O2 code generation, not in parsing the header.
"""
from __future__ import annotations

import functools
import hashlib
import os
import subprocess
import tempfile
from pathlib import Path

from evals.judge.sandbox import CXX, Box, SandboxCrash

TESTLIB_DIR = Path(__file__).with_name("testlib")
JURY_MEMORY_MB = 1024
JURY_FLAGS = ("-I/box",)  # `#include <testlib.h>` finds the shipped header too


# A Python jury program (checker or interactor) runs inside this wrapper, so that its crash (an uncaught
# exception, which Python ends with exit code 1 = testlib's WA) exits 3 (FAIL) instead: a judge error,
# not the program's fault.
_PYTHON_JURY = """import sys, traceback
try:
    exec(compile({source!r}, "checker.py", "exec"), {{"__name__": "__main__", "__builtins__": __builtins__}})
except SystemExit:
    raise
except BaseException:
    traceback.print_exc()
    sys.exit(3)
"""


class JuryError(RuntimeError):
    """A checker or interactor that cannot be built or run: the jury's fault, a judge_error."""


def testlib_header() -> Path:
    where = os.environ.get("R1_EVALS_TESTLIB")
    path = Path(where) / "testlib.h" if where else TESTLIB_DIR / "testlib.h"
    if not path.is_file():
        raise JuryError(f"R1_EVALS_TESTLIB={where!r} holds no testlib.h; unset it to use the shipped one "
                        f"({TESTLIB_DIR / 'testlib.h'})")
    return path


def cache_dir() -> Path:
    return Path(os.environ.get("R1_EVALS_CACHE") or Path.home() / ".cache" / "r1-evals") / "jury"


@functools.lru_cache(maxsize=1)
def _compiler_id() -> str:
    try:
        return subprocess.run([CXX[0], "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def language_of(source: str) -> str:
    return "cpp" if "#include" in source else "python"


def build_key(source: str) -> str:
    """The cache key of a C++ jury program: everything that can change the binary."""
    digest = hashlib.sha256()
    header = testlib_header().read_bytes() if "testlib.h" in source else b""
    for part in (source.encode("utf-8", "surrogateescape"), header, " ".join([*CXX, *JURY_FLAGS]).encode(), _compiler_id().encode()):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def _store(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)  # atomic: a concurrent judge reads the old file or the new, never half of one


def jury_box(source: str, slot: int = 0) -> Box:
    """A started sandbox whose program is ``source`` built (from the cache when it was built before)."""
    box = Box(memory_mb=JURY_MEMORY_MB, slot=slot + 32)
    box.start()
    try:
        language = language_of(source)
        if language == "python":
            try:  # only compiled here, never run: a syntax error is the jury's, named now
                compile(source, "jury.py", "exec")
            except (SyntaxError, ValueError) as exc:
                raise JuryError(f"the jury program does not compile: {exc}") from exc
            error = box.build(_PYTHON_JURY.format(source=source), "python")
        else:
            cached = cache_dir() / build_key(source)
            if cached.is_file():
                box.install(cached.read_bytes())
                return box
            if "testlib.h" in source:
                (box.box_dir / "testlib.h").write_bytes(testlib_header().read_bytes())
            error = box.build(source, "cpp", flags=JURY_FLAGS)
            if error is None:
                _store(cached, box.fetch_program())
        if error:
            raise JuryError(f"the jury program does not compile: {error[:2000]}")
    except (SandboxCrash, JuryError, OSError) as exc:
        box.close()
        raise exc if isinstance(exc, JuryError) else JuryError(f"the jury program could not be built: {exc}") from exc
    return box
