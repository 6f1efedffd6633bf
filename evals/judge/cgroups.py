"""One cgroup per sandbox: the memory limit, the process limit, exact CPU time and peak memory, and a
kill that reaches every process of a submission (setsid daemons included).

cgroup v1 (memory, pids and cpuacct controllers mounted read-write, as on these machines) and
cgroup v2 (a delegated subtree with the memory and pids controllers) are both supported. Every group
is created under this process's own cgroup (read from /proc/self/cgroup); nothing beside or above
it is touched. ``find_cgroups`` says what is missing and how to fix it when neither works.
"""
from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
V1_CONTROLLERS = ("memory", "pids", "cpuacct")
RECLAIM_CACHE_AT = 4 << 20  # page cache above this is dropped before a limit is set (1-12 ms)


class CgroupUnavailable(RuntimeError):
    """No writable cgroup with memory and pids control: the judge refuses to run code."""


def _own_paths() -> dict[str, str]:
    """controller (or "" for v2) -> this process's cgroup path, from /proc/self/cgroup."""
    paths = {}
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        for name in controllers.split(",") if controllers else [""]:
            paths[name] = path
    return paths


def _writable_dir(path: Path) -> bool:
    return path.is_dir() and os.access(path, os.W_OK | os.X_OK)


@dataclass(frozen=True)
class CgroupParent:
    """Where sandbox cgroups are created: one directory per v1 controller, or one v2 directory."""

    version: int
    dirs: dict[str, Path]  # controller -> directory; v2 uses the key "unified"
    created: tuple[Path, ...] = ()  # the directories find_cgroups made (``release`` removes them)

    def ensure(self) -> tuple[Path, ...]:
        """Make the parent directories that are missing; returns the ones made."""
        made = []
        for d in self.dirs.values():
            try:
                d.mkdir()
                made.append(d)
            except FileExistsError:
                pass
        if self.version == 2:
            (self.dirs["unified"] / "cgroup.subtree_control").write_text("+memory +pids")
        return tuple(made)

    def create(self, name: str, memory_bytes: int, pids: int) -> Cgroup:
        """A new group ``box-<pid>-<name>``; first, empty groups left by dead judges are removed."""
        self.sweep()
        group = Cgroup(self.version, {c: d / f"box-{os.getpid()}-{name}" for c, d in self.dirs.items()})
        for attempt in range(3):
            try:
                group.make(memory_bytes, pids)
                return group
            except FileNotFoundError:  # another process's ``release`` removed an empty parent just now
                for d in group.dirs.values():  # the groups made before the parent went
                    try:
                        d.rmdir()
                    except OSError:
                        pass
                if attempt == 2:
                    raise
                self.ensure()
        return group

    def release(self) -> None:
        """Remove the parent directories this process made, if nothing is in them (``judge --check``
        leaves no trace); a parent another judge is using stays (rmdir fails while it has groups)."""
        for d in self.created:
            try:
                d.rmdir()
            except OSError:
                pass

    def sweep(self) -> None:
        """rmdir the groups of judge processes that died (killed before their cleanup ran)."""
        for d in self.dirs.values():
            for child in d.glob("box-*"):
                owner = child.name.split("-")[1]
                if owner.isdigit() and not Path(f"/proc/{owner}").exists():
                    try:
                        child.rmdir()  # fails while processes remain: then it is not stale yet
                    except OSError:
                        pass


def find_cgroups(base_name: str = "r1-judge") -> CgroupParent:
    """The parent for sandbox groups (created if needed), or CgroupUnavailable saying why."""
    own = _own_paths()
    problems = []
    if all(c in own for c in V1_CONTROLLERS):
        parent = CgroupParent(1, {c: ROOT / c / own[c].lstrip("/") / base_name for c in V1_CONTROLLERS})
        try:
            made = parent.ensure()
            if all(_writable_dir(d) for d in parent.dirs.values()):
                return CgroupParent(1, parent.dirs, made)
            CgroupParent(1, parent.dirs, made).release()
        except OSError as exc:
            problems.append(f"cgroup v1: cannot create {exc.filename} ({exc.strerror})")
    if "" in own:
        base = ROOT / own[""].lstrip("/")
        if not (base / "cgroup.controllers").exists():
            base = ROOT / "unified" / own[""].lstrip("/")
        enabled = (base / "cgroup.controllers").read_text().split() if (base / "cgroup.controllers").exists() else []
        if {"memory", "pids"} <= set(enabled) and _writable_dir(base):
            parent = CgroupParent(2, {"unified": base / base_name})
            try:
                return CgroupParent(2, parent.dirs, parent.ensure())
            except OSError as exc:
                problems.append(f"cgroup v2: cannot set up {parent.dirs['unified']} ({exc.strerror})")
        else:
            problems.append(f"cgroup v2: {base} lacks a writable memory+pids delegation (has {enabled or 'none'})")
    raise CgroupUnavailable(
        "no usable cgroup for the code sandbox (" + "; ".join(problems or ["no cgroup hierarchy found"]) + "). "
        "Run as root, or delegate a cgroup v2 subtree with memory and pids controllers to this user "
        "(e.g. systemd-run --user --scope -p Delegate=yes ...)."
    )


@dataclass
class Cgroup:
    version: int
    dirs: dict[str, Path]
    _peak_fd: int | None = field(default=None, repr=False)  # v2: memory.peak, reset per open file
    # The files read or written around every test stay open: a pread/write on an open descriptor
    # costs a few microseconds, an open/read/close through pathlib about 40 (11 of them a test).
    _fds: dict[tuple[Path, int], int] = field(default_factory=dict, repr=False)
    _limit: int | None = field(default=None, repr=False)  # v1: the memory limit we set last
    _paths: dict[tuple[str, str], Path] = field(default_factory=dict, repr=False)  # built once: ~10 Paths a test

    def _file(self, controller: str, v1_name: str, v2_name: str = "") -> Path:
        key = ("unified", v2_name or v1_name) if self.version == 2 else (controller, v1_name)
        path = self._paths.get(key)
        if path is None:
            path = self._paths[key] = self.dirs[key[0]] / key[1]
        return path

    def _fd(self, path: Path, flags: int = os.O_RDONLY) -> int:
        fd = self._fds.get((path, flags))
        if fd is None:
            fd = self._fds[path, flags] = os.open(path, flags | os.O_CLOEXEC)
        return fd

    def _read(self, path: Path) -> str:
        return os.pread(self._fd(path), 1 << 16, 0).decode()  # a cgroup file regenerates at offset 0

    def _fields(self, path: Path, names: tuple[str, ...]) -> int:
        """The sum of the named fields of a "name value" per line file (memory.stat, cpu.stat)."""
        text, total = "\n" + self._read(path), 0
        for name in names:
            at = text.find(f"\n{name} ")
            if at >= 0:
                start = at + len(name) + 2
                end = text.find("\n", start)
                total += int(text[start:end if end >= 0 else len(text)])
        return total

    def _write(self, path: Path, value: int) -> None:
        os.write(self._fd(path, os.O_WRONLY), str(value).encode())  # each write is one whole command

    def close_files(self) -> None:
        for fd in self._fds.values():
            os.close(fd)
        self._fds.clear()

    def make(self, memory_bytes: int, pids: int) -> None:
        for d in self.dirs.values():
            d.mkdir()
        if self.version == 2 and (self.dirs["unified"] / "memory.swap.max").exists():
            (self.dirs["unified"] / "memory.swap.max").write_text("0")  # hit the limit, never page out
        (self.dirs["unified" if self.version == 2 else "pids"] / "pids.max").write_text(str(pids))
        self.set_memory(memory_bytes)

    def set_memory(self, memory_bytes: int) -> None:
        """Set the memory limit (lowered or raised between a compile and the tests)."""
        if self.version == 2:
            self._write(self._file("memory", "", "memory.max"), memory_bytes)
            return
        memory = self._file("memory", "memory.limit_in_bytes")
        swap = self._file("memory", "memory.memsw.limit_in_bytes")  # memory + swap, so nothing pages out
        if self._limit is None and not swap.exists():
            self._write(memory, memory_bytes)
            return
        if self._limit is None:
            self._limit = int(self._read(memory))
        # The kernel keeps memsw >= memory at every step: raise memsw first, lower it last.
        first, second = (swap, memory) if memory_bytes > self._limit else (memory, swap)
        self._limit = None  # unknown until both writes went through
        self._write(first, memory_bytes)
        self._write(second, memory_bytes)
        self._limit = memory_bytes

    def allow_more(self, extra_bytes: int) -> int:
        """Set the limit to what the group's processes hold now plus ``extra_bytes``; returns the
        usage it started from. Page cache (a compile's, earlier outputs') is not held: the kernel
        would reclaim it under the limit and so hand it to the newcomer; much of it is dropped first,
        so the usage and the peak read later mean what the processes hold."""
        cache = self.file_cache_bytes()
        if cache > RECLAIM_CACHE_AT:
            self.drop_file_cache()
            cache = self.file_cache_bytes()
        base = self.memory_bytes()
        self.set_memory(max(base - cache, 0) + extra_bytes)
        return base

    def procs_files(self) -> list[str]:
        """The files a new process writes "0" into to join this group (done before it drops root)."""
        return [str(d / "cgroup.procs") for d in self.dirs.values()]

    def cpu_s(self) -> float:
        if self.version == 1:
            return int(self._read(self._file("cpuacct", "cpuacct.usage"))) / 1e9
        return self._fields(self._file("cpu", "", "cpu.stat"), ("usage_usec",)) / 1e6

    def memory_bytes(self) -> int:
        return int(self._read(self._file("memory", "memory.usage_in_bytes", "memory.current")))

    def file_cache_bytes(self) -> int:
        """Page cache charged to the group (files read or written: a compile, a test's output). The
        kernel reclaims it before it OOM-kills, so it is no memory a limit should count as used."""
        names = ("total_active_file", "total_inactive_file") if self.version == 1 else ("active_file", "inactive_file")
        return self._fields(self._file("memory", "memory.stat", "memory.stat"), names)

    def drop_file_cache(self) -> None:
        """Reclaim the group's page cache now (best effort), so its usage is what its processes hold."""
        path = self._file("memory", "memory.force_empty", "memory.reclaim")
        try:
            path.write_text("0" if self.version == 1 else str(self.file_cache_bytes()))
        except OSError:
            pass  # v2 before kernel 5.19 has no memory.reclaim; the kernel still reclaims under the limit

    def peak_bytes(self) -> int:
        if self.version == 2 and self._peak_fd is not None:
            return int(os.pread(self._peak_fd, 64, 0))
        path = self._file("memory", "memory.max_usage_in_bytes", "memory.peak")
        try:
            return int(self._read(path))
        except FileNotFoundError:
            return self.memory_bytes()

    def reset_peak(self) -> bool:
        """Restart the peak at the current usage; False when this kernel cannot (the peak read
        afterwards is then the group's lifetime peak, a compile's included)."""
        path = self._file("memory", "memory.max_usage_in_bytes", "memory.peak")
        try:
            if self.version == 1:
                self._write(path, 0)  # v1 resets on any write
                return True
            # v2 (kernel >= 6.12) resets for reads through the same open file only: keep it open
            if self._peak_fd is None:
                self._peak_fd = os.open(path, os.O_RDWR)
            os.write(self._peak_fd, b"0")
            return True
        except OSError:
            return False

    def oom_kills(self) -> int:
        path = self._file("memory", "memory.oom_control", "memory.events")
        for line in self._read(path).splitlines():
            key, _, value = line.partition(" ")
            if key == "oom_kill":
                return int(value)
        return int((self.dirs.get("memory", Path("/nonexistent")) / "memory.failcnt").read_text()) \
            if self.version == 1 else 0

    def pids(self) -> list[int]:
        return [int(p) for d in self.dirs.values() for p in (d / "cgroup.procs").read_text().split()]

    def kill_all(self) -> None:
        """SIGKILL every process in the group until none is left (fork bombs refill it meanwhile)."""
        kill_file = self.dirs.get("unified", Path("/nonexistent")) / "cgroup.kill"
        if kill_file.exists():
            kill_file.write_text("1")
        for _ in range(2000):
            alive = set(self.pids())
            if not alive:
                return
            for pid in alive:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.002)
        raise RuntimeError(f"processes survive in {self.dirs}: {sorted(self.pids())}")

    def remove(self) -> None:
        self.close_files()
        if self._peak_fd is not None:
            os.close(self._peak_fd)
            self._peak_fd = None
        self.kill_all()
        for d in self.dirs.values():
            for _ in range(200):  # the kernel frees a group a moment after its last process
                try:
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.005)
