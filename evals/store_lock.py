"""One writer per run: a lock file per (run, shard) in <db>/locks/, naming the host and process.

Two processes generating the same run would race on every key: each writes its own completion, the
views keep one, and the work is done twice. So `evals run` takes this lock for each benchmark it writes,
and a second writer is refused with a message naming the first, unless both run disjoint shards
(`--shard 0/2` and `--shard 1/2`). A lock whose process is gone is taken over: on this host when its
pid is no longer the process that wrote it, from another host when its heartbeat (the file's mtime,
touched every HEARTBEAT_S) is older than STALE_AFTER_S.
"""
from __future__ import annotations

import json
import os
import platform
import sys
import threading
import time
from pathlib import Path
from typing import Any

from .errors import R1EvalsError

HEARTBEAT_S, STALE_AFTER_S = 30.0, 600.0


class StoreBusy(R1EvalsError):
    """Another live process writes the same run of this store."""


def _process_start(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), to tell a reused pid from its owner."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def _alive(holder: dict[str, Any]) -> bool:
    pid = int(holder.get("pid") or 0)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    started = _process_start(pid)
    return started is None or holder.get("pid_start") in (None, started)


class WriterLock:
    def __init__(self, directory: Path, run: str, shard: tuple[int, int] = (0, 1)) -> None:
        self.directory, self.run, self.shard = directory, run, tuple(shard)
        index, count = self.shard
        self.path = directory / f"{run}.{index}of{count}.lock"
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None

    def __enter__(self) -> WriterLock:
        self.acquire()
        return self

    def __exit__(self, *_: Any) -> None:
        self.release()

    def holders(self) -> list[tuple[Path, dict[str, Any]]]:
        """Every lock file of this run (ours included) with what it says."""
        found = []
        for path in sorted(self.directory.glob(f"{self.run}.*.lock")):
            try:
                found.append((path, read_holder(path)))
            except FileNotFoundError:
                continue
        return found

    def acquire(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        for path, holder in self.holders():
            if stale(path, holder):
                path.unlink(missing_ok=True)
                print(f"[store] removed the stale lock {path} ({describe(holder)}, gone)", file=sys.stderr)
        me = {"host": platform.node(), "pid": os.getpid(), "pid_start": _process_start(os.getpid()),
              "run": self.run, "shard": list(self.shard), "started": time.time()}
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            raise self._busy(dict(self.holders()).get(self.path, {})) from None
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(me, f)
        # a writer of an overlapping shard may have created its own file meanwhile: both see each other now
        for path, holder in self.holders():
            if path != self.path and overlaps(self.shard, tuple(holder.get("shard") or (0, 1))):
                self.path.unlink(missing_ok=True)
                raise self._busy(holder)
        self._beat = threading.Thread(target=self._heartbeat, daemon=True, name="store-lock-heartbeat")
        self._beat.start()

    def _heartbeat(self) -> None:
        while not self._stop.wait(HEARTBEAT_S):
            try:
                os.utime(self.path)
            except OSError:
                return

    def release(self) -> None:
        self._stop.set()
        self.path.unlink(missing_ok=True)

    def _busy(self, holder: dict[str, Any]) -> StoreBusy:
        index, count = self.shard
        return StoreBusy(
            f"{self.directory.parent}: run {self.run} is being written by another process ({describe(holder)}). "
            f"Two writers of one run would race on every sample. Wait for it to finish, or split the work with "
            f"disjoint shards (--shard 0/2 and --shard 1/2); this one asked for shard {index}/{count}. If that "
            f"process is gone on another machine, delete {self.directory}/{self.run}.*.lock (it is taken over "
            f"by itself after {STALE_AFTER_S:.0f} s without a heartbeat).")


def read_holder(path: Path) -> dict[str, Any]:
    """What a lock file says; {} when it is unreadable (half-written by a writer killed while creating it).
    FileNotFoundError passes through: the lock was released meanwhile."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise
    except (OSError, ValueError):
        return {}


def stale(path: Path, holder: dict[str, Any]) -> bool:
    """A lock nobody holds: its process is gone (this host) or its heartbeat stopped (another host)."""
    if holder.get("host") == platform.node() and holder.get("pid"):
        return not _alive(holder)
    try:
        return time.time() - path.stat().st_mtime > STALE_AFTER_S
    except FileNotFoundError:
        return True


def overlaps(a: tuple, b: tuple) -> bool:
    """Whether two shards (index, count) may share a problem: only i/N and j/N with i != j are disjoint."""
    return not (a[1] == b[1] and a[0] != b[0])


def describe(holder: dict[str, Any]) -> str:
    if not holder:
        return "an unreadable lock file"
    shard = holder.get("shard") or (0, 1)
    since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(holder.get("started") or 0))
    return f"pid {holder.get('pid')} on {holder.get('host')}, shard {shard[0]}/{shard[1]}, since {since}"
