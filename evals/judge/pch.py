"""A precompiled ``bits/stdc++.h`` for C++ submissions: built once per judge machine, read-only in every box.

Usage::

    from evals.judge import pch

    pch.status()                 # one line: ready / not built yet / off / unavailable, and where
    pch.compile_flags(source)    # ["-isystem", "/pch/<key>"] when source includes bits/stdc++.h (builds it once)

Most model-written C++ starts with ``#include <bits/stdc++.h>``; parsing it is ~85% of a 1.5 s
``g++ -O2 -std=c++17`` compile (``g++ -ftime-report``: "phase parsing"). GCC loads a header's
precompiled state from ``name.h.gch`` found beside ``name.h`` on the include path, when the
compiler and the flags that matter (-O level, -std, -D macros) are those it was built with. So:

* ``<cache>/pch/<key>/bits/stdc++.h.gch`` (and a copy of the header, which GCC reads instead when it
  refuses the .gch, e.g. after a ``#define`` before the include), ``<cache>`` = ``R1_EVALS_CACHE``
  (default ``~/.cache/r1-evals``). ``<key>`` hashes the compiler (``g++ --version``, cc1plus's path,
  size and mtime), the submission flags (``sandbox.CXX``), and the header's path, content and mtime:
  an upgraded compiler or header gets a new directory, never a stale .gch.
* It is built inside a sandbox (the same compiler, flags and empty environment as submissions) from
  the system header's own path, so diagnostics name the same files; GCC writes it to a host file the
  box cannot name. It is checked (a probe compile must take it: ``g++ -H`` marks it ``!``) and its
  sha256 recorded before an atomic rename publishes it. Several judges starting at once: one builds
  (a lock), the others compile without it meanwhile.
* Every box sees ``<cache>/pch`` read-only at ``/pch``. A submission that includes ``bits/stdc++.h``
  is compiled with ``-isystem /pch/<key>`` (a system directory, as the original, so warnings stay
  the same); any other is compiled exactly as before. A process checks a .gch's sha256 once before
  its first use (GCC takes a .gch with flipped bytes silently, and fails on a truncated one): a
  mismatch rebuilds it. ``Box.build`` recompiles without it when a compile with it fails, so a
  compile error's message is the plain compiler's, and no .gch can cause a compile_error; when
  that plain compile succeeds, the .gch was at fault and is rebuilt.
* ``R1_EVALS_PCH=0`` turns it off. When it cannot be built, C++ compiles without it (said once on stderr).
"""
from __future__ import annotations

import fcntl
import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from evals.embedded import cache_root

ENV = "R1_EVALS_PCH"
MOUNT = "/pch"  # where boxes see <cache>/pch
HEADER = "bits/stdc++.h"
_INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]\s*bits/stdc\+\+\.h\s*[>"]', re.M)
_lock = threading.Lock()
_verified: dict[tuple, bool] = {}  # (path, inode, size, mtime) -> sha256 matched, checked once per process
_failed: dict[str, str] = {}  # key -> why it could not be built (this process does not try again)
_said: set[str] = set()


def enabled() -> bool:
    return os.environ.get(ENV, "1").strip().lower() not in ("0", "off", "false", "no")


def root() -> Path:
    return cache_root() / "pch"


def wanted(source: str) -> bool:
    return _INCLUDE.search(source) is not None


def _flags() -> list[str]:
    """The submission flags that GCC checks a .gch against (everything but the output and the source)."""
    from evals.judge.sandbox import CXX

    return [arg for arg in CXX[1:] if arg not in ("-o", "/work/program", "/box/program.cpp")]


def _run(argv: list[str], stdin: str = "") -> str:
    done = subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=60, env={"PATH": "/usr/bin:/bin"})
    return done.stdout + done.stderr


@functools.lru_cache(maxsize=1)
def _compiler() -> tuple[str, Path]:
    """(description for the key, the system header GCC finds for a submission)."""
    from evals.judge.sandbox import CXX

    version = _run([CXX[0], "--version"]).splitlines()[0]
    cc1plus = Path(_run([CXX[0], "-print-prog-name=cc1plus"]).strip()).resolve()
    stat = cc1plus.stat()
    found = _run([CXX[0], *_flags(), "-x", "c++", "-E", "-H", "-o", "/dev/null", "-"], f"#include <{HEADER}>\n")
    header = next((line[2:].strip() for line in found.splitlines() if line.startswith(". ")), "")
    if not header.endswith(HEADER):
        raise OSError(f"{CXX[0]} does not find <{HEADER}> (-H said: {found[:300]!r})")
    return f"{version} | {cc1plus} {stat.st_size} {stat.st_mtime_ns}", Path(header)


def key() -> str:
    compiler, header = _compiler()
    digest = hashlib.sha256()
    stat = header.stat()
    for part in (compiler, " ".join(_flags()), f"{header} {stat.st_mtime_ns}"):
        digest.update(hashlib.sha256(part.encode()).digest())
    digest.update(hashlib.sha256(header.read_bytes()).digest())
    return digest.hexdigest()[:20]


def _say(message: str) -> None:
    if message not in _said:
        _said.add(message)
        print(f"r1-evals judge: {message}", file=sys.stderr)


def _sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _intact(directory: Path) -> bool:
    """The .gch is the one that was built (sha256 in manifest.json); hashed once per process and file."""
    gch = directory / (HEADER + ".gch")
    try:
        stat = gch.stat()
        ident = (str(gch), stat.st_ino, stat.st_size, stat.st_mtime_ns)
        if ident not in _verified:
            manifest = json.loads((directory / "manifest.json").read_text())
            _verified[ident] = manifest.get("sha256") == _sha256(gch) and manifest.get("size") == stat.st_size
        return _verified[ident]
    except (OSError, ValueError):
        return False


def _discard(directory: Path) -> None:
    """Take a bad build out of use atomically (judges compiling with it now keep their open file)."""
    away = directory.with_name(f".bad-{directory.name}-{os.getpid()}-{threading.get_ident()}")
    try:
        os.rename(directory, away)
    except OSError:
        return  # another judge did it first
    shutil.rmtree(away, ignore_errors=True)


def ready() -> Path | None:
    """The published, intact pch directory for this compiler and header, or None (builds nothing)."""
    if not enabled():
        return None
    try:
        directory = root() / key()
    except OSError:
        return None
    return directory if directory.is_dir() and _intact(directory) else None


def ensure() -> Path | None:
    """The pch directory, built first if needed; None to compile without it (off, failed, or being
    built by another judge right now)."""
    if not enabled() or "compiler" in _failed:
        return None
    try:
        k = key()
    except (OSError, subprocess.SubprocessError) as exc:
        _failed["compiler"] = str(exc)
        _say(f"no precompiled <{HEADER}> ({exc}); C++ compiles without it")
        return None
    directory = root() / k
    if k in _failed:
        return None
    if directory.is_dir():
        if _intact(directory):
            return directory
        _say(f"the precompiled <{HEADER}> in {directory} is damaged (sha256 differs); rebuilding it")
        _discard(directory)
    if not _lock.acquire(blocking=False):  # another thread builds it: compile without it this time
        return None
    try:  # one build per process; the file lock below, one per machine
        return _build_locked(k, directory)
    finally:
        _lock.release()


def _build_locked(k: str, directory: Path) -> Path | None:
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
        lock = open(directory.parent / f".{k}.lock", "w")
    except OSError as exc:
        _failed[k] = str(exc)
        _say(f"no precompiled <{HEADER}> (cannot write {directory.parent}: {exc}); C++ compiles without it")
        return None
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return None  # another judge is building it: compile without it this time
        if directory.is_dir() and _intact(directory):
            return directory  # built while we waited for the lock
        for stale in directory.parent.glob(f".tmp-{k}-*"):  # a build killed midway (the lock is ours now)
            shutil.rmtree(stale, ignore_errors=True)
        from evals.judge.pch_build import build

        error = build(k, directory)
        if error:
            _failed[k] = error
            _say(f"could not build a precompiled <{HEADER}> ({error[:500]}); C++ compiles without it")
            return None
        _say(f"built a precompiled <{HEADER}> in {directory}")
        return directory


def compile_flags(source: str) -> list[str]:
    """Extra g++ flags for a submission: the pch's include directory when it includes bits/stdc++.h."""
    if not wanted(source):
        return []
    directory = ensure()
    return ["-isystem", f"{MOUNT}/{directory.name}"] if directory else []


def distrust(flags: list[str]) -> None:
    """A compile with these ``compile_flags`` failed and the same source compiled without them: the .gch
    is at fault (e.g. GCC cannot read it), so take it out of use; the next compile builds a new one."""
    directory = root() / Path(flags[-1]).name
    _say(f"g++ failed with the precompiled <{HEADER}> in {directory} and not without it; rebuilding it")
    _discard(directory)


def mount_args() -> list[str]:
    """bubblewrap arguments that show <cache>/pch read-only at /pch (none when off or not creatable)."""
    if not enabled():
        return []
    try:
        root().mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _say(f"no precompiled <{HEADER}> (cannot create {root()}: {exc}); C++ compiles without it")
        return []
    return ["--ro-bind", str(root()), MOUNT]


def status() -> str:
    """One line for ``python -m evals judge --check``."""
    if not enabled():
        return f"off ({ENV}={os.environ.get(ENV)}): C++ compiles without a precompiled header"
    try:
        k = key()
        compiler, header = _compiler()
    except (OSError, subprocess.SubprocessError) as exc:
        return f"unavailable: {exc}"
    directory = root() / k
    if directory.is_dir():
        state = "ready" if _intact(directory) else "damaged (rebuilt at the next C++ compile)"
        return f"{state}: {directory} ({header}, {compiler.split(' | ')[0]}, {' '.join(_flags())})"
    return f"not built yet: built at the first C++ submission that includes <{HEADER}>, into {directory}"
