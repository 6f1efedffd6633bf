"""The sandbox that runs model-written programs: bubblewrap namespaces, a cgroup, rlimits, another uid.

Usage::

    from evals.judge.sandbox import Box, Limits, check_layers

    print(check_layers())                    # what this machine offers; Box() refuses to start without it
    with Box(memory_mb=256) as box:
        box.write("solution.py", code)
        error = box.compile_python("solution.py")
        run = box.run("python", stdin_path, Limits(cpu_s=2, wall_s=4, memory_mb=256))
        run.status, run.cpu_s, run.peak_mb, run.stdout_path

Layers (all required; a missing one raises ``SandboxUnavailable`` naming it and the fix):

* bubblewrap: new pid, network, ipc, uts, cgroup and mount namespaces. The filesystem holds only
  read-only /usr (and its /bin, /lib symlinks), the Python installation, the submission's files at
  /box (read-only), a private /proc, a minimal /dev, and size-limited tmpfs scratch (/work, /tmp).
  No /etc, no /home, no host /tmp, no environment but PATH. Only ``lo`` exists: no network.
* a cgroup per submission (``evals.judge.cgroups``): memory limit (OOM kill = MLE), pids limit (fork
  bombs, 10k threads), exact CPU time and peak memory, and a kill that reaches setsid daemons.
* uids: when the judge runs as root, the harness inside keeps only CAP_SETUID/SETGID/KILL and every
  test runs as an unprivileged uid that no other live box holds (``evals.judge.uids``: RLIMIT_NPROC
  applies; it cannot signal or trace the harness). As a normal user, bubblewrap's user namespace
  maps one uid, so tests share the harness's uid.
* a seccomp filter (``evals.judge.seccomp``), loaded by bubblewrap once per box: no keyrings, new
  namespaces, mounts, ptrace, bpf, io_uring, userfaultfd... (EPERM; clone3 ENOSYS).
* rlimits per test: CPU, file size (= output limit), open files, processes, no core dumps; the
  stack may grow to the memory limit (deep recursion is legitimate).
* bubblewrap sets no_new_privs, so setuid binaries cannot regain privileges.
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from evals.judge import pch, seccomp
from evals.judge.cgroups import Cgroup, CgroupUnavailable, find_cgroups
from evals.judge.uids import LOCK_DIRS, UID_COUNT, UID_FIRST, UidLease

HARNESS = Path(__file__).with_name("harness.py")
SANDBOX_UID = UID_FIRST  # tests run as a leased uid >= this when the judge is root; no passwd entry needed
OUTPUT_LIMIT = 32 << 20  # bytes per stream; DMOJ uses 24 MiB
SIDE_FILE = "/dev/fd/3"  # inside the sandbox: the name of a run's side file (``Box.run``)
HARNESS_SLACK_MB = 48  # the box's limit before its first run; each run then allows its own limit exactly
SCRATCH_MB = 64  # tmpfs for /work and /tmp; its pages are charged to the memory cgroup too
PIDS = 64  # processes + threads per sandbox (harness included)
CXX = ["/usr/bin/g++", "-O2", "-std=c++17", "-pipe", "-o", "/work/program", "/box/program.cpp"]


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC  # what open(path, "wb") asks


def write_new(path: Path, data: bytes) -> None:
    """Write ``path`` as a new file. Rewriting one that holds data in place (O_TRUNC) makes ext4
    (auto_da_alloc) write it to disk when it is closed: 3-4 ms a test where tests' inputs are written
    over the last one's; a new inode costs about 0.1 ms."""
    path.unlink(missing_ok=True)
    path.write_bytes(data)


class SandboxUnavailable(RuntimeError):
    """A required isolation layer is missing; the message says which and how to install it."""


@dataclass(frozen=True)
class Limits:
    cpu_s: float = 2.0
    wall_s: float = 6.0
    memory_mb: int = 256
    output_bytes: int = OUTPUT_LIMIT
    open_files: int = 64
    processes: int = PIDS


COMPILE_LIMITS = Limits(cpu_s=30, wall_s=60, memory_mb=1024, output_bytes=64 << 20, processes=32)


@dataclass
class Execution:
    """One program run. ``status`` is ok, time_limit, memory_limit, output_limit, runtime_error, or
    killed (stopped by the judge through ``Box.interrupt``)."""

    status: str
    exit_code: int | None
    signal: int | None
    cpu_s: float
    wall_s: float
    peak_mb: float
    stdout_path: str
    stderr_path: str
    stderr_tail: str
    result_path: str | None = None
    detail: str = ""

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if not k.endswith("_path")}


@dataclass
class Layers:
    bwrap: str | None
    cgroup: str
    uid_drop: bool
    python: str
    seccomp: str
    uids: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def python_prefix() -> Path:
    """The real installation of this interpreter (not a venv or pyenv shim): bound read-only."""
    return Path(sys.base_prefix).resolve()


def python_binary() -> str:
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    return str(python_prefix() / "bin" / version)


def check_layers() -> Layers:
    problems = []
    bwrap = shutil.which("bwrap")
    if not bwrap:
        problems.append("bubblewrap is not installed: apt-get install -y bubblewrap (Debian/Ubuntu), "
                        "dnf install bubblewrap (Fedora)")
    try:
        parent = find_cgroups()
        parent.release()  # a check leaves no trace: the parent is made again when a box starts
        cgroup = f"v{parent.version} at {', '.join(str(d) for d in parent.dirs.values())}"
    except (CgroupUnavailable, OSError) as exc:
        cgroup = "unavailable"
        problems.append(str(exc))
    if not Path(python_binary()).exists():
        problems.append(f"cannot find the interpreter {python_binary()}")
    try:
        filtered = seccomp.describe()
    except seccomp.SeccompUnavailable as exc:
        filtered = "unavailable"
        problems.append(str(exc))
    as_root = os.geteuid() == 0
    uids = (f"one per box, random in [{UID_FIRST:#x}, {UID_FIRST + UID_COUNT:#x}), locked in {LOCK_DIRS[0]} "
            f"(or {LOCK_DIRS[1]})" if as_root else "the judge's own, mapped in a user namespace")
    return Layers(bwrap, cgroup, as_root, python_binary(), filtered, uids, problems)


def _bwrap_argv(box_dir: Path, sock_fd: int, child_uid: int, as_root: bool, filter_args: list[str],
                mounts: list[str] = ()) -> list[str]:
    prefix = str(python_prefix())
    argv = ["bwrap", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
            "--die-with-parent", "--new-session", "--clearenv", "--setenv", "PATH", "/usr/bin:/bin",
            "--ro-bind", "/usr", "/usr"]
    for link in ("bin", "lib", "lib64", "sbin"):
        target = Path("/") / link
        if target.is_symlink():
            argv += ["--symlink", os.readlink(target), f"/{link}"]
        elif target.is_dir():
            argv += ["--ro-bind", str(target), f"/{link}"]
    if not prefix.startswith("/usr/"):
        for parent in reversed(Path(prefix).parents[:-1]):  # e.g. /root is 0700 on the host
            argv += ["--perms", "0755", "--dir", str(parent)]
        argv += ["--ro-bind", prefix, prefix]
    argv += ["--ro-bind", str(box_dir), "/box", *mounts, "--proc", "/proc", "--dev", "/dev"]
    for mount in ("/work", "/tmp", "/state"):
        argv += ["--size", str(SCRATCH_MB << 20), "--perms", "1777" if mount != "/state" else "0755",
                 "--tmpfs", mount]
    argv += ["--chdir", "/work"]
    if as_root:
        # No user namespace: the tests' uid is then a real, unprivileged host uid.
        # As root, bwrap keeps every capability unless told otherwise (--cap-add alone only adds,
        # and makes them ambient): drop them all, then keep what the harness needs.
        argv += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_KILL"]
    else:
        argv += ["--unshare-user"]
    return argv + filter_args + ["--", python_binary(), "-I", "-S", "/box/harness.py", str(sock_fd), str(child_uid)]


class Box:
    """One submission's sandbox: a host directory (read-only inside), a cgroup, a harness process."""

    def __init__(self, memory_mb: int = 256, slot: int = 0, pids: int = PIDS):
        layers = check_layers()
        if not layers.ok:
            raise SandboxUnavailable("the code sandbox cannot start: " + " | ".join(layers.problems))
        self.as_root = os.geteuid() == 0
        # ``slot`` no longer picks the uid: every box leases one no other live box holds.
        self.lease = UidLease() if self.as_root else None
        self.child_uid = self.lease.uid if self.lease else -1
        self.memory_mb = memory_mb
        self.pids = pids
        self.dir = Path(tempfile.mkdtemp(prefix="r1-judge-"))
        self.box_dir = self.dir / "box"
        self.io_dir = self.dir / "io"  # test stdin/stdout files: never mounted, passed as descriptors
        self.box_dir.mkdir()
        self.io_dir.mkdir(mode=0o700)
        shutil.copyfile(HARNESS, self.box_dir / "harness.py")
        self.cgroup: Cgroup | None = None
        self.proc: subprocess.Popen | None = None
        self.sock: socket.socket | None = None
        self.runs = 0
        self._run_files: list[Path] = []  # the latest run's output files (older ones are deleted)
        self.crashed = False
        self.language: str | None = None
        self.pch_mount: list[str] = []  # bubblewrap's arguments for /pch (evals.judge.pch), set at start
        self.last_compile: Execution | None = None  # the g++ run that decided the latest C++ build
        self.compiled_with_pch = False  # whether that run used the precompiled bits/stdc++.h

    # --- lifecycle -------------------------------------------------------------------------------

    def __enter__(self) -> Box:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self) -> None:
        if self.as_root and self.lease is None:  # started again after close()
            self.lease = UidLease()
            self.child_uid = self.lease.uid
        self.crashed = False
        memory = (self.memory_mb + HARNESS_SLACK_MB) << 20
        self.cgroup = find_cgroups().create(f"{id(self):x}-{time.monotonic_ns()}", memory, self.pids)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        procs_files = self.cgroup.procs_files()
        stack = (self.memory_mb << 20, self.memory_mb << 20)

        def enter_cgroup() -> None:  # runs in the child between fork and exec: syscalls only
            for path in procs_files:
                fd = os.open(path, os.O_WRONLY)
                os.write(fd, b"0")
                os.close(fd)
            resource.setrlimit(resource.RLIMIT_STACK, stack)
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

        filter_fd, filter_args = seccomp.pass_to_bwrap()
        self.pch_mount = pch.mount_args()
        try:
            self.proc = subprocess.Popen(
                _bwrap_argv(self.box_dir, theirs.fileno(), self.child_uid, self.as_root, filter_args, self.pch_mount),
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                pass_fds=(theirs.fileno(), filter_fd), preexec_fn=enter_cgroup, close_fds=True,
            )
        finally:
            os.close(filter_fd)
            theirs.close()
        self.sock = ours

    def close(self) -> None:
        if self.sock:
            self.sock.close()
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
        if self.proc:
            self.proc.wait()
            if self.proc.stderr:
                self.proc.stderr.close()
        if self.cgroup:
            self.cgroup.remove()
        if self.lease:  # every process of its uid is dead now
            self.lease.release()
        shutil.rmtree(self.dir, ignore_errors=True)
        self.proc = self.cgroup = self.sock = self.lease = None

    def reset(self) -> None:
        """Make a running box ready for another submission: the harness kills every process but
        itself, empties the scratch and /state; the host-side files go too. Only safe when tests
        run as another uid than the harness (``reusable``)."""
        if not self._ask({"op": "reset"})["ok"]:
            raise SandboxCrash("the harness could not empty the scratch directories")
        for path in [*self.io_dir.iterdir(), *(p for p in self.box_dir.iterdir() if p.name != "harness.py")]:
            path.unlink()
        self.language = None

    @property
    def reusable(self) -> bool:
        return self.as_root and self.alive()

    def alive(self) -> bool:
        # a harness that stopped answering is dead, even before bubblewrap has exited
        return self.proc is not None and self.proc.poll() is None and not self.crashed

    # --- talking to the harness ------------------------------------------------------------------

    def _ask(self, command: dict, fds: list[int] = (), timeout: float = 30.0,
             sent: Callable[[], None] | None = None) -> dict:
        """Send one command; None-free answer or SandboxCrash when the harness is gone or silent.
        ``sent`` runs once the descriptors are on their way (the harness holds its own copies)."""
        assert self.sock is not None
        try:
            socket.send_fds(self.sock, [json.dumps(command).encode()], list(fds))
            if sent:
                sent()
            self.sock.settimeout(timeout)
            data = self.sock.recv(1 << 16)
        except (OSError, TimeoutError) as exc:
            raise SandboxCrash(self._crash_detail(f"{type(exc).__name__}: {exc}")) from exc
        if not data:
            raise SandboxCrash(self._crash_detail("the harness closed its socket"))
        return json.loads(data)

    def _crash_detail(self, what: str) -> str:
        err = ""
        if self.proc and self.proc.poll() is not None and self.proc.stderr:
            err = self.proc.stderr.read(4000).decode(errors="replace").strip()
        return what + (f"; sandbox said: {err}" if err else "")

    def write(self, name: str, text: str | bytes) -> str:
        """Put a file at /box/NAME (read-only inside); returns its path inside the sandbox."""
        data = text.encode("utf-8", "surrogateescape") if isinstance(text, str) else text
        write_new(self.box_dir / name, data)
        return f"/box/{name}"

    def compile_python(self, name: str) -> str | None:
        """Byte-compile /box/NAME in the harness; the error message, or None when it compiles."""
        return self._ask({"op": "compile", "path": f"/box/{name}"})["error"]

    def save(self, src: str, dst: str) -> None:
        """Copy a file built in the scratch dir (e.g. by g++) to /state, read-only for tests."""
        if not self._ask({"op": "save", "src": src, "dst": dst})["ok"]:
            raise SandboxCrash("the harness could not empty the scratch directories")

    def install(self, binary: bytes) -> None:
        """Make a program built earlier (e.g. a cached checker) the box's program, as ``build`` would."""
        path = self.box_dir / "program.bin"
        path.write_bytes(binary)
        path.chmod(0o755)
        self.save("/box/program.bin", "/state/program")
        self.language = "cpp"

    def fetch_program(self) -> bytes:
        """The bytes of what ``build`` compiled (to cache it): ``cat`` inside, its stdout a host file."""
        empty = self.io_dir / "empty.in"
        empty.write_bytes(b"")
        run = self.run("exec", empty, COMPILE_LIMITS, argv=["/usr/bin/cat", "/state/program"])
        if run.status != "ok":
            raise SandboxCrash(f"could not read the built program back ({run.status}: {run.detail})")
        data = Path(run.stdout_path).read_bytes()
        self.discard()
        return data

    def interrupt(self) -> None:
        """Kill the test running now (its reply then says ``killed``); no effect between tests.
        Safe from another thread than the one waiting in ``run``: one packet, no reply."""
        if self.sock is not None:
            try:
                self.sock.send(json.dumps({"op": "kill"}).encode())
            except OSError:
                pass  # the harness is gone: the run ends anyway

    def build(self, source: str, language: str, flags: tuple[str, ...] = ()) -> str | None:
        """Make ``source`` runnable (Python byte-compiled in the harness; C++ by g++ inside this
        sandbox, under COMPILE_LIMITS, with extra g++ ``flags``). Returns the compiler's message on
        failure, else None. A C++ submission (no ``flags``) that includes bits/stdc++.h uses the
        precompiled header (``evals.judge.pch``); when g++ fails with it, the plain compile decides."""
        if language == "python":
            self.write("program.py", source)
            self.language = language
            return self.compile_python("program.py")
        if language != "cpp":
            raise ValueError(f"unknown language {language!r}; use python or cpp")
        self.write("program.cpp", source)
        empty = self.io_dir / "empty.in"
        empty.write_bytes(b"")
        with_pch = pch.compile_flags(source) if self.pch_mount and not flags else []
        run = self.run("exec", empty, COMPILE_LIMITS, argv=cxx_argv([*with_pch, *flags]), keep_scratch=True)
        if with_pch and run.status in ("runtime_error", "memory_limit"):
            run = self.run("exec", empty, COMPILE_LIMITS, argv=cxx_argv(flags), keep_scratch=True)
            if run.status == "ok":
                pch.distrust(with_pch)
            with_pch = []
        self.last_compile, self.compiled_with_pch = run, bool(with_pch)
        if run.status != "ok":
            message = Path(run.stderr_path).read_bytes()[:4000].decode("utf-8", errors="replace")
            stopped = "" if run.status == "runtime_error" else f"compilation stopped: {run.status} ({run.detail})\n"
            return (stopped + message) or f"g++ failed ({run.detail})"
        self.save("/work/program", "/state/program")
        self.language = language
        return None

    def run_program(self, stdin_path: str | Path | None, limits: Limits, args: list[str] = (),
                    func: str | None = None, pipes: tuple[int, int] | None = None,
                    side_file: bool = False) -> Execution:
        """Run what ``build`` made: on stdin (``args`` as argv[1:]), or as Solution().func when ``func``.
        ``pipes``: (stdin, stdout) descriptors to use instead of files (interaction); the box owns them.
        ``side_file``: see ``run``."""
        if func is not None:
            return self.run("functional", stdin_path, limits, func=func)
        if self.language == "python":
            return self.run("python", stdin_path, limits, argv=["program.py", *args], pipes=pipes, side_file=side_file)
        return self.run("exec", stdin_path, limits, argv=["/state/program", *args], pipes=pipes, side_file=side_file)

    def discard(self) -> None:
        """Delete the latest run's output files (each up to ``output_bytes``): a caller does once it
        has checked them, and every run does before it starts, so one run's files at most are on disk."""
        for path in self._run_files:
            path.unlink(missing_ok=True)
        self._run_files = []

    def run(self, mode: str, stdin_path: str | Path, limits: Limits, *, argv: list[str] | None = None,
            func: str | None = None, env: dict[str, str] | None = None, keep_scratch: bool = False,
            pipes: tuple[int, int] | None = None, side_file: bool = False) -> Execution:
        """Run one test: ``mode`` is "exec" (argv inside the sandbox), "python" or "functional".
        ``pipes``: (stdin, stdout) descriptors instead of ``stdin_path`` and an output file; they are
        closed here once sent, so the other ends see end-of-file when the program's side exits.
        ``side_file``: one more output file, descriptor 3 of the program, which may also open it by
        the name ``SIDE_FILE`` (an interactor's ``tout``); under the same output limit as stdout, its
        host path is the result's ``result_path``. Functional runs always have one (the return value)."""
        assert self.cgroup is not None
        self.discard()
        self.runs += 1
        out = self.io_dir / f"{self.runs}.out"
        err = self.io_dir / f"{self.runs}.err"
        res = self.io_dir / f"{self.runs}.side" if mode == "functional" or side_file else None
        self._run_files = [out, err] + ([res] if res else [])
        files: list[int] = []  # raw descriptors (no file objects: 0.1 ms a test), closed once sent
        try:
            if pipes:
                os.close(os.open(out, _NEW_FILE, 0o666))  # stays empty: the output went to the pipe
                files += [pipes[0], pipes[1]]
            else:
                files.append(os.open(stdin_path, os.O_RDONLY | os.O_CLOEXEC))
                files.append(os.open(out, _NEW_FILE, 0o666))
            files.append(os.open(err, _NEW_FILE, 0o666))
            if res:
                files.append(os.open(res, _NEW_FILE, 0o666))
                if self.as_root:  # reopened by name (/dev/fd/3) as the tests' uid, which must own it
                    os.fchown(files[-1], self.child_uid, self.child_uid)
        except BaseException:
            for fd in files:
                os.close(fd)
            raise

        def close_files() -> None:
            while files:
                os.close(files.pop())

        command = {"op": "run", "mode": mode, "argv": argv or [], "func": func, "env": env,
                   "cpu_s": limits.cpu_s, "wall_s": limits.wall_s, "fsize": limits.output_bytes,
                   "nofile": limits.open_files, "nproc": limits.processes, "keep_scratch": keep_scratch}
        # exactly memory_mb beyond what the box holds now: the harness's memory is its own headroom
        base = self.cgroup.allow_more(limits.memory_mb << 20)
        cpu_before = self.cgroup.cpu_s()
        oom_before = self.cgroup.oom_kills()
        peak_known = self.cgroup.reset_peak()
        try:
            # (the harness empties the scratch before it answers: up to about twice the CPU limit)
            reply = self._ask(command, list(files), timeout=limits.wall_s + 3 * limits.cpu_s + 10,
                              sent=close_files)
        except SandboxCrash as exc:
            reply = {"crashed": str(exc)}
            self.crashed = True
        finally:
            close_files()
        if reply.get("unclean") and self.proc:  # this test's verdict stands; no later test may run here
            self.proc.kill()
        cpu = max(0.0, self.cgroup.cpu_s() - cpu_before - reply.get("cleanup_cpu_s", 0.0))  # the test's own
        peak = max(0, self.cgroup.peak_bytes() - base) / (1 << 20)
        over = peak > limits.memory_mb and peak_known
        return _classify(reply, cpu, peak, self.cgroup.oom_kills() > oom_before or over, limits, out, err, res)


def cxx_argv(flags: list[str] | tuple[str, ...] = ()) -> list[str]:
    """g++'s argv for /box/program.cpp with extra ``flags`` (none: exactly ``CXX``)."""
    return [*CXX[:-3], *flags, *CXX[-3:]]


class SandboxCrash(RuntimeError):
    """The harness died or stopped answering (the submission may have caused it)."""


def _tail(path: Path, size: int = 2000) -> str:
    length = path.stat().st_size
    if not length:  # most tests write no stderr: no open
        return ""
    with open(path, "rb") as f:
        f.seek(max(0, length - size))
        return f.read().decode("utf-8", errors="replace")


def _classify(reply: dict, cpu: float, peak_mb: float, over_memory: bool, limits: Limits,
              out: Path, err: Path, res: Path | None) -> Execution:
    """Status from what was measured, never from what the program says: the cgroup's OOM kills
    and peak (``over_memory``), its CPU time and the harness's clocks, the output files' sizes.
    A program that prints ``MemoryError`` or ``std::bad_alloc``, or raises SIGXCPU or SIGXFSZ on
    itself, below every limit, gets ``runtime_error``; one that really reaches a limit gets that
    limit (SIGXFSZ then comes with an output file at the limit, SIGXCPU with the CPU time)."""
    stderr = _tail(err)
    code, sig = reply.get("exit_code"), reply.get("signal")
    wall = reply.get("wall_s", 0.0)
    outputs = [out, err] + ([res] if res else [])
    if "crashed" in reply and over_memory:  # the tree went over its limit and the OOM killer took the harness
        status, detail = "memory_limit", f"over {limits.memory_mb} MB (the OOM killer stopped the sandbox)"
    elif "crashed" in reply:
        status, detail = "runtime_error", f"the sandbox's harness stopped ({reply['crashed']})"
    elif reply.get("setup_failed"):
        raise SandboxCrash(f"the harness could not start the test: {stderr.strip()}")
    elif reply.get("killed"):  # the judge stopped it (interaction over): its caller decides the verdict
        status, detail = "killed", "stopped by the judge"
    elif over_memory:
        status, detail = "memory_limit", f"over {limits.memory_mb} MB (peak {peak_mb:.1f} MB)"
    elif reply.get("timed_out") or cpu > limits.cpu_s:
        status, detail = "time_limit", f"cpu {cpu:.2f}s, wall {wall:.2f}s (limits {limits.cpu_s}s / {limits.wall_s}s)"
    elif any(path.stat().st_size >= limits.output_bytes for path in outputs):
        status, detail = "output_limit", f"output reached {limits.output_bytes} bytes"
    elif sig is not None or code != 0:
        status = "runtime_error"
        detail = f"killed by signal {sig}" if sig is not None else f"exit code {code}"
    else:
        status, detail = "ok", ""
    return Execution(status, code, sig, round(cpu, 4), round(wall, 4), round(peak_mb, 2), str(out), str(err), stderr,
                     str(res) if res else None, detail)
