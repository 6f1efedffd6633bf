"""Judge every hostile program in tests/redteam/ and print one JSON line per program, then a summary.

    python -m tests.redteam.run_suite            # refuses to run outside the containment below

``tests/test_redteam.py`` starts this module as pid 1 of new pid, mount, network, ipc and uts
namespaces (``unshare --pid --fork --kill-child --mount-proc --net --ipc --uts``), inside outer
cgroups of its own (pids.max, a memory limit). Before judging anything, ``contain()`` narrows this
namespace further, so that even a broken sandbox cannot harm the machine it runs on:

* overlays on /tmp (the judge's temp dir: its boxes, test files and outputs), /usr, /etc, the home
  directory, the Python installation and the repo, their upper layers in a tmpfs of this namespace:
  an escaped program could write or delete there without changing the host, and the summary lists
  every change (the attack stays visible instead of being masked by a read-only error);
* every other mount read-only (per-mount flags kept), /proc/sys too;
* the cgroup hierarchies read-only except this process's own groups (bind-mounted read-write back),
  where the judge creates its r1-judge/box-* groups: nothing beside or above them can be touched;
* loopback up, with a TCP and an abstract-unix listener that no program may reach (a sandbox that
  shared this network namespace would connect).

Signals cannot leave the pid namespace; when this process exits the kernel kills whatever is left.

Each program file starts with comment lines (``#`` in Python, ``//`` in C++)::

    # expect: time_limit|runtime_error  -- the overall verdict (a set only where either is honest)
    # per-test: time_limit|runtime_error ; correct  -- optional: each test's verdict; all tests run
    # problem: functional                            -- optional: ab (default), ab256, functional, hunt, bigstdin

Interactive problems (``guess``: guess a hidden number with at most 30 questions, the interactor
``interactors/guess.cpp``; ``guess_hang`` / ``guess_spin`` / ``guess_tout_flood``: the same with an
interactor that sleeps / loops / floods its tout after sending n) put the solution and the interactor
in two sandboxes joined by pipes.
The default problem ``ab`` is A+B with two tests, "1 2" -> 3 and "5 7" -> 12 (1 s, 128 MB; ``ab256``
is the same under 256 MB, for programs near a typical memory limit): programs
attack on the first test and behave on the second, so a correct second test proves the sandbox
recovered. Sources may use placeholders filled in here: @@PORT@@ (the TCP listener's port),
@@ABSTRACT@@ (the abstract socket's name, without the leading NUL) and @@CANARIES@@ (the canary files
outside the sandbox, space-separated). Every secret (canary contents, the secret environment
variables, the hidden expected output of ``hunt``) is searched for in every output and message.
"""
from __future__ import annotations

import fcntl
import json
import os
import queue
import re
import secrets
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
VERDICTS = {"correct", "wrong_answer", "time_limit", "memory_limit", "output_limit", "runtime_error",
            "compile_error", "judge_error", "no_code", "wrong_format", "idleness_limit"}
PROBLEMS = ("ab", "ab256", "functional", "hunt", "bigstdin", "guess", "guess_hang", "guess_spin", "guess_tout_flood")
INTERACTORS = HERE / "interactors"  # guess.cpp (honest), hang.cpp (sleeps), spin.cpp (loops), tout_flood.cpp: testlib C++
SUFFIXES = {".py": "python", ".cpp": "cpp"}
CANARY_NAME = "r1-redteam-canary"  # every canary file's name contains this
SECRET_PREFIX = "R1RT-"  # every secret starts with this
_HEADER = re.compile(r"^\s*(?:#|//)\s*(expect|per-test|problem)\s*:\s*(.*?)\s*(?:--\s*(.*))?$")


# --- the programs and what each must get -----------------------------------------------------------

@dataclass(frozen=True)
class Program:
    name: str
    path: Path
    language: str
    expect: frozenset[str]
    per_test: tuple[frozenset[str], ...] | None
    problem: str
    why: str

    def source(self) -> str:
        return self.path.read_text()


def _verdict_set(text: str, where: str) -> frozenset[str]:
    names = frozenset(v.strip() for v in text.split("|") if v.strip())
    unknown = names - VERDICTS
    if not names or unknown:
        raise ValueError(f"{where}: verdicts {sorted(unknown) or text!r} are not among {sorted(VERDICTS)}")
    return names


def load_programs(directory: Path = HERE) -> list[Program]:
    """Every hostile program, parsed from its header; a malformed header raises ValueError."""
    programs = []
    for path in sorted(directory.iterdir()):
        language = SUFFIXES.get(path.suffix)
        if language is None or path.name in ("__init__.py", "run_suite.py"):
            continue
        fields: dict[str, tuple[str, str]] = {}
        for line in path.read_text().splitlines()[:8]:
            match = _HEADER.match(line)
            if match:
                fields[match[1]] = (match[2], match[3] or "")
        if "expect" not in fields:
            raise ValueError(f"{path.name}: the first lines need '# expect: VERDICT[|VERDICT]  -- why'")
        expect = _verdict_set(fields["expect"][0], f"{path.name} expect")
        per_test = None
        if "per-test" in fields:
            per_test = tuple(_verdict_set(part, f"{path.name} per-test") for part in fields["per-test"][0].split(";"))
        problem = fields.get("problem", ("ab", ""))[0]
        if problem not in PROBLEMS:
            raise ValueError(f"{path.name}: problem {problem!r} is not one of {PROBLEMS}")
        programs.append(Program(path.stem, path, language, expect, per_test, problem, fields["expect"][1]))
    return programs


def mismatch(program: Program, record: dict) -> str | None:
    """Why ``record`` (one JSON line of this runner) is not what ``program`` must get, or None."""
    problems = []
    if record.get("error"):
        problems.append(f"the runner failed on it: {record['error']}")
    elif record["reason"] not in program.expect:
        problems.append(f"verdict {record['reason']!r}, expected {'|'.join(sorted(program.expect))}")
    if program.per_test is not None and not record.get("error"):
        got = [t["reason"] for t in record["tests"]]
        if len(got) != len(program.per_test) or any(g not in want for g, want in zip(got, program.per_test)):
            want = " ; ".join("|".join(sorted(w)) for w in program.per_test)
            problems.append(f"per-test verdicts {got}, expected [{want}]")
    following = record.get("next_submission")
    if following and following["reason"] != "correct":
        detail = "; ".join(f"test {t['index']}: {t['reason']} {t['detail'][:300]!r}" for t in following["tests"])
        detail += f"; it printed {following.get('outputs')}"
        problems.append(f"the next submission in the same (reset) sandbox, an honest A+B that checks the box is "
                        f"clean, got {following['reason']!r} ({detail})")
    if record.get("leaks"):
        problems.append(f"secrets leaked into its output: {record['leaks']}")
    if not problems:
        return None
    tests = "\n".join(f"    test {t['index']}: {t['reason']} (signal {t['signal']}, exit {t['exit_code']}, "
                      f"cpu {t['time_s']}s, wall {t['wall_s']}s, {t['memory_mb']} MB) {t['detail'][:400]!r}"
                      for t in record.get("tests", []))
    compiled = f"\n  compiler said: {record['compile_output'][:600]!r}" if record.get("compile_output") else ""
    compiled += f"\n  stdout heads: {record.get('outputs')}"
    return (f"{program.path.name} ({program.why}): " + "; ".join(problems)
            + (f"\n{tests}" if tests else "") + compiled)


# --- containment -------------------------------------------------------------------------------------

def _unescape(field: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m[1], 8)), field)


def _mounts() -> list[tuple[str, str, str]]:
    """(mount point, per-mount options, fstype) from /proc/self/mountinfo, in mount order."""
    mounts = []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        left, _, right = line.partition(" - ")
        fields = left.split()
        mounts.append((_unescape(fields[4]), fields[5], right.split()[0]))
    return mounts


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True, text=True)


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix.rstrip("/") + "/")


def _remount_ro(point: str, options: str) -> None:
    flags = [o for o in options.split(",") if o not in ("rw", "ro")]
    _mount("-o", ",".join(["remount", "bind", "ro", *flags]), point)


STAGING = ("/mnt", "/media", "/srv", "/opt")  # an existing directory to hide under the overlays' tmpfs


def _overlay_targets() -> list[str]:
    """Writable-looking copies of what a sandbox binds or a program attacks; nested ones dropped."""
    from evals.judge.sandbox import python_prefix

    wanted = ["/tmp", "/usr", "/etc", "/var/tmp", "/dev/shm", str(Path.home()), str(python_prefix()),
              str(HERE.parents[1])]
    targets: list[str] = []
    for path in sorted({os.path.realpath(p) for p in wanted if os.path.isdir(p)}, key=len):
        if path != "/" and not any(_under(path, t) for t in targets):
            targets.append(path)
    return targets


def contain() -> dict:
    """Narrow this (new, private) mount and network namespace; fail closed. Returns what was done.

    Overlays (upper layers in a tmpfs of this namespace) cover /tmp, /usr, /etc, the home and the
    repo: a program that escaped could write or delete there and the host would not change, while
    ``overlay_changes()`` shows what it did. Everything else is remounted read-only. Where overlayfs
    is missing, /tmp gets a plain tmpfs (holding copies of the host canaries there) and the other
    targets are made read-only like the rest: still safe, but writes then fail instead of showing.
    """
    if os.getpid() != 1:
        raise SystemExit("run_suite: not pid 1 of a new pid namespace; start it from tests/test_redteam.py")
    own = {}
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        for c in controllers.split(","):
            own[c] = path
    stage = next((d for d in STAGING if os.path.isdir(d) and not os.path.islink(d)), None)
    if stage is None:
        raise SystemExit(f"run_suite: none of {STAGING} exists to hold the overlays")
    _mount("-t", "tmpfs", "-o", "size=2g,mode=0700", "r1-redteam-stage", stage)
    overlays, kept = {}, [stage, "/dev"]
    fallbacks: dict[str, str] = {}
    for n, target in enumerate(_overlay_targets()):
        upper, work = f"{stage}/{n}/upper", f"{stage}/{n}/work"
        os.makedirs(upper)
        os.makedirs(work)
        try:
            _mount("-t", "overlay", "r1-redteam", "-o", f"lowerdir={target},upperdir={upper},workdir={work}", target)
            overlays[target] = upper
            kept.append(target)
        except subprocess.CalledProcessError as exc:
            fallbacks[target] = f"no overlay ({exc.stderr.strip()}): read-only"
    if "/tmp" in fallbacks:
        host_tmp = {c["path"]: c["secret"] for c in json.loads(os.environ.get("R1RT_HOST_CANARIES", "{}")).values()
                    if os.path.dirname(c["path"]) == "/tmp"}
        _mount("-t", "tmpfs", "-o", "size=1g,mode=1777", "r1-redteam-tmp", "/tmp")
        for path, secret in host_tmp.items():
            Path(path).write_text(secret)
        fallbacks["/tmp"] = "no overlay: a private tmpfs with copies of the host canaries"
        kept.append("/tmp")
    os.environ["TMPDIR"] = "/tmp"
    tempfile.tempdir = None
    rw_groups = []
    for controller in ("pids", "memory", "cpuacct"):
        if "/redteam-" not in own.get(controller, ""):
            raise SystemExit(f"run_suite: not inside an outer redteam-* {controller} cgroup ({own.get(controller)})")
        group = f"/sys/fs/cgroup/{controller}{own[controller]}"
        _mount("--bind", group, group)
        rw_groups.append(group)
    for point in ("/proc/sys", "/proc/sysrq-trigger"):
        if os.path.exists(point):
            _mount("--bind", point, point)
    kept += rw_groups
    for point, options, _fstype in _mounts():
        if any(_under(point, k) for k in kept) or (_under(point, "/proc") and point not in ("/proc/sys", "/proc/sysrq-trigger")):
            continue
        if "ro" not in options.split(","):
            try:
                _remount_ro(point, options)
            except subprocess.CalledProcessError as exc:
                fallbacks[point] = f"stays writable: {exc.stderr.strip()}"  # / and the cgroups are checked below
    if not os.statvfs("/").f_flag & os.ST_RDONLY or not os.statvfs("/sys/fs/cgroup/pids").f_flag & os.ST_RDONLY:
        raise SystemExit("run_suite: could not make / and the cgroup hierarchies read-only")
    # loopback up (SIOCGIFFLAGS / SIOCSIFFLAGS, IFF_UP): the listeners need it
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        flags = struct.unpack("16sH", fcntl.ioctl(s, 0x8913, struct.pack("16sH", b"lo", 0)))[1]
        fcntl.ioctl(s, 0x8914, struct.pack("16sH", b"lo", flags | 1))
    return {"namespaces": "pid 1 of new pid, mount, net, ipc, uts namespaces", "overlays": overlays,
            "writable_cgroups": rw_groups, "read_only": "every other mount (and /proc/sys)", "fallbacks": fallbacks}


def overlay_changes(overlays: dict[str, str]) -> dict[str, list[str]]:
    """What was written or deleted (whiteouts) under each overlay, as paths under its target."""
    changes = {}
    for target, upper in overlays.items():
        found = []
        for dirpath, dirnames, filenames in os.walk(upper):
            for name in dirnames + filenames:
                path = os.path.join(dirpath, name)
                if name in dirnames and os.listdir(path):
                    continue  # a directory only holding changes listed below it
                found.append(os.path.join(target, os.path.relpath(path, upper)))
        if found:
            changes[target] = sorted(found)
    return changes


class Listener:
    """A TCP listener on 127.0.0.1 and an abstract unix socket; counts whoever connects."""

    def __init__(self) -> None:
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.bind(("127.0.0.1", 0))
        self.port = self.tcp.getsockname()[1]
        self.abstract = f"r1rt-{secrets.token_hex(6)}"
        self.unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.unix.bind("\0" + self.abstract)
        self.connections: list[str] = []
        for sock, what in ((self.tcp, "tcp"), (self.unix, "abstract")):
            sock.listen(16)
            threading.Thread(target=self._accept, args=(sock, what), daemon=True).start()

    def _accept(self, sock: socket.socket, what: str) -> None:
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            self.connections.append(what)
            conn.close()


# --- judging -------------------------------------------------------------------------------------------

_current = threading.local()
_leaks: dict[str, set[str]] = {}
_uids: set[int] = set()


def _install_hooks(secrets_by_label: dict[str, str], box_secret: str) -> None:
    """Wrap Box so that every box's host dir holds a canary and every output is searched for secrets."""
    from evals.judge import sandbox

    init, run = sandbox.Box.__init__, sandbox.Box.run
    needles = {label: value.encode() for label, value in secrets_by_label.items()}

    def box_init(self, *args, **kwargs):
        init(self, *args, **kwargs)
        for where in (self.dir, self.io_dir):
            (where / f"{CANARY_NAME}-box").write_text(box_secret)
        _uids.add(self.child_uid)

    def box_run(self, *args, **kwargs):
        execution = run(self, *args, **kwargs)
        if getattr(_current, "outputs", None) is not None and os.path.exists(execution.stdout_path):
            with open(execution.stdout_path, "rb") as f:
                _current.outputs.append(f.read(200).decode("utf-8", "replace"))
        for path in (execution.stdout_path, execution.stderr_path, execution.result_path):
            if path and os.path.exists(path):
                data = Path(path).read_bytes()
                for label, needle in needles.items():
                    if needle in data:
                        _leaks.setdefault(getattr(_current, "name", "?"), set()).add(f"{label} in {Path(path).name}")
        return execution

    sandbox.Box.__init__, sandbox.Box.run = box_init, box_run


def _without(argv: list[str], *items: str, width: int = 1) -> list[str]:
    """``argv`` without each option in ``items`` (and the ``width - 1`` arguments that follow it)."""
    out, skip = [], 0
    for arg in argv:
        if skip:
            skip -= 1
        elif arg in items:
            skip = width - 1
        else:
            out.append(arg)
    return out


def _host_tmp(argv: list[str]) -> list[str]:
    i = argv.index("/tmp") if "/tmp" in argv else -1
    return argv[:i - 5] + ["--bind", "/tmp", "/tmp"] + argv[i + 1:] if i > 0 and argv[i - 1] == "--tmpfs" else argv


# R1RT_MUTATION=<name> breaks one layer of the sandbox in this runner only (never set by the tests):
# a way to check that the suite still notices a broken sandbox. Run it under tests/test_redteam.py's
# containment, e.g. R1RT_MUTATION=share-network python -m pytest -q tests/test_redteam.py.
MUTATIONS = {
    "share-network": lambda argv: _without(argv, "--unshare-net"),
    "share-pids": lambda argv: _without(argv, "--unshare-pid"),
    "keep-environment": lambda argv: _without(argv, "--clearenv"),
    "keep-capabilities": lambda argv: _without(argv, "--cap-drop", width=2),
    "no-seccomp": lambda argv: _without(argv, "--seccomp", width=2),  # keyrings and namespaces open again
    "host-tmp": _host_tmp,
    "tests-as-root": None,  # the tests keep the harness's uid 0 (and its capabilities)
}


def _mutate(name: str) -> None:
    from evals.judge import sandbox

    if name not in MUTATIONS:
        raise SystemExit(f"run_suite: unknown R1RT_MUTATION {name!r}; use one of {sorted(MUTATIONS)}")
    if name == "tests-as-root":
        init = sandbox.Box.__init__

        def box_init(self, *args, **kwargs):
            init(self, *args, **kwargs)
            self.child_uid = 0 if self.as_root else self.child_uid
        sandbox.Box.__init__ = box_init
        return
    argv_of = sandbox._bwrap_argv
    sandbox._bwrap_argv = lambda *args, **kwargs: MUTATIONS[name](argv_of(*args, **kwargs))


def make_problems(hunt_secret: str):
    from evals.judge.problems import CodeProblem, TestCase

    ab = [TestCase("1 2\n", "3\n"), TestCase("5 7\n", "12\n")]
    junk = ("9" * 99 + "\n") * 300_000  # 30 MB the program never reads (a test is at most 32 MiB: problems.MAX_TEST_BYTES)
    guess = [TestCase("100 37\n", ""), TestCase("1000 1000\n", "")]  # n and the hidden number

    def interactive(name: str, interactor: str) -> CodeProblem:
        return CodeProblem(f"redteam-{name}", "guess the number, at most 30 questions", guess, time_limit_s=1.0,
                           memory_mb=128, interactive=True, interactor=(INTERACTORS / interactor).read_text())

    return {
        "guess": interactive("guess", "guess.cpp"),
        "guess_hang": interactive("guess-hang", "hang.cpp"),
        "guess_spin": interactive("guess-spin", "spin.cpp"),
        "guess_tout_flood": interactive("guess-tout-flood", "tout_flood.cpp"),
        "ab": CodeProblem("redteam-ab", "A+B", ab, time_limit_s=1.0, memory_mb=128),
        "ab256": CodeProblem("redteam-ab256", "A+B under 256 MB", ab, time_limit_s=1.0, memory_mb=256),
        "functional": CodeProblem("redteam-functional", "add(a, b)", [TestCase("1\n2\n", "3"), TestCase("5\n7\n", "12")],
                                  kind="functional", func_name="add", time_limit_s=1.0, memory_mb=128),
        "hunt": CodeProblem("redteam-hunt", "print the hidden answer", [TestCase("what is the answer?\n", hunt_secret + "\n")],
                            time_limit_s=2.0, memory_mb=128),
        "bigstdin": CodeProblem("redteam-bigstdin", "A+B, then 30 MB never read",
                                [TestCase("1 2\n" + junk, "3\n"), TestCase("5 7\n", "12\n")], time_limit_s=1.0, memory_mb=128),
    }


def _cost(program: Program) -> int:
    """Rough seconds; the slow ones start first so two workers finish together."""
    slow = {"time_limit": 3, "memory_limit": 1, "compile_error": 1}
    return (2 if program.language == "cpp" else 0) + max((slow.get(v, 0) for v in program.expect), default=0) \
        + (1 if program.per_test else 0)


# An honest A+B that a clean sandbox accepts: nothing left in the scratch dirs, no process of its
# uid, no SysV IPC object, and (allocating 192 of its 256 MB) its memory free.
PROBE_CODE = """
import os, sys
a, b = map(int, sys.stdin.readline().split())
dirty = []
for d in ("/tmp", "/work", "/dev/shm"):
    try:
        left = os.listdir(d)
    except OSError:
        continue
    if left:
        dirty.append((d, left[:5]))
mine = [p for p in os.listdir("/proc") if p.isdigit() and int(p) != os.getpid()
        and os.stat("/proc/" + p).st_uid == os.getuid()]
if mine:
    dirty.append(("processes", mine))
for kind in ("shm", "msg", "sem"):
    try:
        with open("/proc/sysvipc/" + kind) as f:
            rows = f.read().splitlines()[1:]
    except OSError:
        rows = []
    if rows:
        dirty.append(("sysv " + kind, len(rows)))
block = b"\\1" * (192 << 20)
print(a + b if not dirty else "DIRTY %r" % dirty)
"""


def _record(result) -> dict:
    return {"reason": result.reason, "compile_output": (result.compile_output or "")[:2000],
            "tests": [{"index": t.index, "reason": t.reason, "detail": t.detail[:1500], "signal": t.signal,
                       "exit_code": t.exit_code, "time_s": t.time_s, "wall_s": t.wall_s, "memory_mb": t.memory_mb}
                      for t in result.tests]}


class Worker:
    """One judging slot with one sandbox, reset and reused across submissions as ``judge_many`` does."""

    def __init__(self, slot: int) -> None:
        self.slot = slot
        self.box = None

    def ready_box(self):
        from evals.judge import judging
        from evals.judge.sandbox import Box, SandboxCrash

        if self.box is not None and self.box.reusable:
            try:
                self.box.reset()
                return self.box
            except SandboxCrash:
                pass
        self.close()
        self.box = Box(memory_mb=getattr(judging, "BOX_MEMORY_MB", 1024), slot=self.slot)
        self.box.start()
        return self.box

    def close(self) -> None:
        if self.box is not None:
            self.box.close()
        self.box = None

    def judge(self, program: Program, problems: dict, fill: dict[str, str], probe_problem) -> dict:
        """The program's verdict, then an honest probe's in the same (reset) sandbox."""
        from evals.judge.judging import judge_code

        source = program.source()
        for key, value in fill.items():
            source = source.replace(key, value)
        record: dict = {"name": program.name, "language": program.language, "expect": sorted(program.expect)}
        try:
            _current.name, _current.outputs = program.name, []
            record.update(_record(judge_code(problems[program.problem], source, program.language,
                                             stop_at_first_failure=program.per_test is None, slot=self.slot,
                                             box=self.ready_box())))
            record["outputs"] = _current.outputs  # the head of every run's stdout (compiler's included)
            _current.name, _current.outputs = f"{program.name} (next submission)", []
            record["next_submission"] = _record(judge_code(probe_problem, PROBE_CODE, "python", slot=self.slot,
                                                           box=self.ready_box()))
            record["next_submission"]["outputs"] = _current.outputs
        except Exception as exc:  # noqa: BLE001 -- reported per program, never hides the others
            record.update(error=f"{type(exc).__name__}: {exc}", reason=record.get("reason"), tests=record.get("tests", []))
            self.close()
        return record


def _scan(record: dict, secrets_by_label: dict[str, str]) -> None:
    text = json.dumps(record)
    found = set(_leaks.get(record["name"], ())) | set(_leaks.get(f"{record['name']} (next submission)", ()))
    # (the judge's report quotes the expected output, which for "hunt" is a secret of its own)
    found |= {f"{label} in the judge's report" for label, value in secrets_by_label.items()
              if value in text and label != "hunt_answer"}
    record["leaks"] = sorted(found)
    record["seconds"] = record.get("seconds", 0)


def _leftover_processes() -> list[dict]:
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:  # we are pid 1: reap orphans first
            pass
    except ChildProcessError:
        pass
    left = []
    for pid in (p for p in os.listdir("/proc") if p.isdigit() and int(p) != os.getpid()):
        try:
            status = dict(line.split(":\t", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        left.append({"pid": int(pid), "name": status.get("Name"), "state": status.get("State"),
                     "uid": int(status.get("Uid", "-1").split()[0])})
    return left


def main() -> int:
    containment = contain() if "--uncontained-debug" not in sys.argv else {"overlays": {}, "debug": "NOT CONTAINED"}
    from evals.judge.cgroups import find_cgroups
    from evals.judge.judging import judge_code
    from evals.judge.problems import CodeProblem, TestCase
    from evals.judge.uids import LOCK_DIRS

    def secret() -> str:
        return SECRET_PREFIX + secrets.token_hex(12)

    # the canaries tests/test_redteam.py wrote on the host, and the secret it put in our environment
    host = json.loads(os.environ.get("R1RT_HOST_CANARIES", "{}"))  # label -> {"path", "secret"}
    secrets_by_label = {f"{label}_canary": c["secret"] for label, c in host.items()}
    if os.environ.get("R1RT_ENV_SECRET"):
        secrets_by_label["runner_env"] = os.environ["R1RT_ENV_SECRET"]
    judge_env = secret()
    os.environ["R1RT_JUDGE_SECRET"] = judge_env  # in the judge's own environment
    tmp_canary = Path(tempfile.gettempdir()) / f"{CANARY_NAME}-judge-tmp"
    tmp_canary.write_text(secret())
    box_secret, hunt_secret = secret(), secret()
    secrets_by_label.update(judge_env=judge_env, judge_tmp_canary=tmp_canary.read_text(), box_canary=box_secret,
                            hunt_answer=hunt_secret)
    canaries = {c["path"]: c["secret"] for c in host.values()}
    canaries[str(tmp_canary)] = tmp_canary.read_text()
    listener = Listener()
    fill = {"@@PORT@@": str(listener.port), "@@ABSTRACT@@": listener.abstract, "@@CANARIES@@": " ".join(canaries),
            "@@CANARY_HOME@@": host.get("home", {}).get("path", str(tmp_canary)),
            "@@CANARY_TMP@@": host.get("tmp", {}).get("path", str(tmp_canary))}
    _install_hooks(secrets_by_label, box_secret)
    if os.environ.get("R1RT_MUTATION"):
        _mutate(os.environ["R1RT_MUTATION"])
        containment["mutation"] = os.environ["R1RT_MUTATION"]
    # the judge caches built interactors/checkers (evals.judge.jury); here in a temp dir removed at the end
    jury_cache = tempfile.mkdtemp(prefix="r1rt-jury-")
    os.environ["R1_EVALS_CACHE"] = jury_cache
    problems = make_problems(hunt_secret)
    programs = load_programs()
    only = [a for a in sys.argv[1:] if not a.startswith("--")] or os.environ.get("R1RT_ONLY", "").split()
    if only:
        programs = [p for p in programs if p.name in only]
    programs.sort(key=_cost, reverse=True)
    print(json.dumps({"containment": containment, "programs": len(programs)}), flush=True)

    start = time.monotonic()
    workers: queue.Queue[Worker] = queue.Queue()
    for slot in range(2):
        workers.put(Worker(slot))
    out_lock = threading.Lock()
    probe_problem = CodeProblem("redteam-probe", "A+B in a clean box", problems["ab"].tests, time_limit_s=2.0,
                                memory_mb=256)

    def one(program: Program) -> dict:
        worker = workers.get()
        t0 = time.monotonic()
        try:
            record = worker.judge(program, problems, fill, probe_problem)
        finally:
            workers.put(worker)
        record["seconds"] = round(time.monotonic() - t0, 2)
        _scan(record, secrets_by_label)
        with out_lock:
            print(json.dumps(record), flush=True)
        return record

    with ThreadPoolExecutor(max_workers=2) as pool:
        for future in as_completed([pool.submit(one, p) for p in programs]):
            future.result()
    while not workers.empty():
        workers.get().close()

    ab = CodeProblem("redteam-after", "A+B", [TestCase("1 2\n", "3\n"), TestCase("5 7\n", "12\n")], time_limit_s=2.0)
    after = {lang: judge_code(ab, code, lang).reason for lang, code in (
        ("python", "a, b = map(int, input().split())\nprint(a + b)\n"),
        ("cpp", "#include <iostream>\nint main(){long long a,b;std::cin>>a>>b;std::cout<<a+b<<'\\n';}\n"))}
    shutil.rmtree(jury_cache)
    parent = find_cgroups()
    # the canary, and the judge's uid lock directory (/run is read-only here); a lock file left in it
    # (a uid never released) shows as a change
    expected_changes = {str(tmp_canary), *(str(d) for d in LOCK_DIRS)}
    summary = {
        "after": after,
        "connections": listener.connections,
        "leftover_processes": _leftover_processes(),
        "leftover_cgroups": sorted(str(p) for d in parent.dirs.values() for p in d.glob("box-*")),
        # writes/deletions under /tmp, /usr, /etc, home, repo: only the canary written above (and the uid lock dir) is expected
        "overlay_changes": {t: changed for t, paths in overlay_changes(containment["overlays"]).items()
                            if (changed := [p for p in paths if p not in expected_changes])},
        "canaries_changed": sorted(p for p, s in canaries.items() if not os.path.exists(p) or Path(p).read_text() != s),
        "sandbox_uids": sorted(_uids),
        "cgroup_parents": [str(d) for d in parent.dirs.values()],
        "seconds": round(time.monotonic() - start, 1),
    }
    print(json.dumps({"summary": summary}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
