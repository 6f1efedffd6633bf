"""Red-team suite for the code judge: hostile programs (tests/redteam/*.py, *.cpp) against its sandbox.

Each program's header names the verdict a correct judge gives it (format: tests/redteam/run_suite.py),
and every program is written so that its verdict shows whether its attack worked: one that can read a
host canary prints it (wrong_answer, and the secret is found in its output), one that cannot answers
A+B (correct); one that kills the harness on test 1 loses test 2, and so on.

Containment, so that even a broken sandbox cannot harm this machine and no signal leaves the suite:
all judging happens in ONE child, ``python -m tests.redteam.run_suite``, started

* in outer cgroups of its own, created under this process's own v1 groups and nowhere else:
  ``redteam-<pid>`` with pids.max 300 and a 3 GB memory limit (and a cpuacct group, so the judge
  inside creates its r1-judge/box-* groups there, never beside the host's);
* as pid 1 of new pid, mount, network, ipc and uts namespaces (``unshare --kill-child``), where the
  runner covers /tmp, /usr, /etc, the home directory and the repo with overlays (their writes land in
  a tmpfs of that namespace, and are reported) and makes every other mount read-only.

Afterwards: the host canaries are unchanged, nothing on the host was written by a sandbox uid, no
process, namespace member or judge cgroup is left, nothing reached the runner's listeners, and the
judge still accepts a correct A+B, in the runner and here.

Skipped, with the reason, where the sandbox cannot run (``check_layers``) or the containment cannot
be built (not root, no writable cgroup v1 pids+memory+cpuacct, no unshare). CI runs as root with
bubblewrap installed, so it runs there. About a minute on a 2-core machine.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from evals.judge.sandbox import SANDBOX_UID, check_layers
from tests.redteam.run_suite import (
    CANARY_NAME,
    SECRET_PREFIX,
    Program,
    load_programs,
    mismatch,
)

REPO = Path(__file__).resolve().parents[1]
PROGRAMS = load_programs()
CGROUP_ROOT = Path("/sys/fs/cgroup")
CONTROLLERS = ("pids", "memory", "cpuacct")
OUTER_PIDS = 300
OUTER_MEMORY = 3 << 30
SUITE_TIMEOUT_S = 480  # a hang guard only: the suite takes about a minute


def _own_cgroups() -> dict[str, str]:
    own = {}
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        for c in controllers.split(","):
            own[c] = path
    return own


def _why_not() -> str | None:
    layers = check_layers()
    if not layers.ok:
        return "the code sandbox is unavailable: " + " | ".join(layers.problems)
    if os.geteuid() != 0:
        return "the red-team containment needs root (outer cgroups, pid/mount/net namespaces)"
    if not shutil.which("unshare") or not shutil.which("mount"):
        return "the red-team containment needs util-linux's unshare and mount"
    own = _own_cgroups()
    missing = [c for c in CONTROLLERS if c not in own or not os.access(CGROUP_ROOT / c / own[c].lstrip("/"), os.W_OK)]
    if missing:
        return (f"the red-team containment needs writable cgroup v1 controllers {missing} under this process's "
                "own groups (it never runs hostile programs without an outer pids and memory limit)")
    return None


WHY_NOT = _why_not()
pytestmark = [pytest.mark.slow, pytest.mark.timeout(SUITE_TIMEOUT_S + 120),
              pytest.mark.skipif(WHY_NOT is not None, reason=WHY_NOT or "")]


class OuterCgroup:
    """``redteam-<pid>`` under this process's own v1 groups; nothing beside or above them is touched."""

    def __init__(self) -> None:
        own = _own_cgroups()
        self.dirs = {c: CGROUP_ROOT / c / own[c].lstrip("/") / f"redteam-{os.getpid()}" for c in CONTROLLERS}

    def create(self) -> None:
        for d in self.dirs.values():
            d.mkdir()
        (self.dirs["pids"] / "pids.max").write_text(str(OUTER_PIDS))
        memory = self.dirs["memory"]
        (memory / "memory.limit_in_bytes").write_text(str(OUTER_MEMORY))  # lowered first: memsw >= memory
        if (memory / "memory.memsw.limit_in_bytes").exists():
            (memory / "memory.memsw.limit_in_bytes").write_text(str(OUTER_MEMORY))

    def procs_files(self) -> list[str]:
        return [str(d / "cgroup.procs") for d in self.dirs.values()]

    def pids(self) -> list[int]:
        """Every process in the outer groups or below them."""
        found = set()
        for d in self.dirs.values():
            for dirpath, _, _ in os.walk(d):
                try:
                    found.update(int(p) for p in Path(dirpath, "cgroup.procs").read_text().split())
                except OSError:
                    pass
        return sorted(found)

    def leftover_groups(self) -> list[str]:
        return sorted(str(Path(dirpath)) for d in self.dirs.values() for dirpath, _, _ in os.walk(d)
                      if Path(dirpath).name.startswith("box-"))

    def destroy(self) -> None:
        for _ in range(500):
            pids = self.pids()
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.01)
        for d in self.dirs.values():
            if not d.exists():
                continue
            for dirpath, _, _ in sorted(os.walk(d), key=lambda w: -len(Path(w[0]).parts)):
                for _ in range(300):  # the kernel frees a group a moment after its last process
                    try:
                        os.rmdir(dirpath)
                        break
                    except FileNotFoundError:
                        break
                    except OSError:
                        time.sleep(0.01)


def _sandbox_processes() -> list[tuple[int, int, str]]:
    """(uid, pid, command) of every host process owned by a sandbox uid."""
    out = subprocess.run(["ps", "-eo", "uid=,pid=,comm="], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines():
        uid, pid, comm = (line.split(None, 2) + [""])[:3]
        if int(uid) >= SANDBOX_UID:
            rows.append((int(uid), int(pid), comm.strip()))
    return rows


def _watched_dirs() -> list[Path]:
    return [Path(p) for p in ("/", "/tmp", "/var/tmp", "/dev/shm", "/etc", "/usr", "/usr/bin", str(Path.home()),
                              str(REPO), str(REPO / "tests"), str(REPO / "tests" / "redteam"))]


def _suspicious_files() -> set[str]:
    """Entries of the watched host dirs owned by a sandbox uid, or named like a program's attack."""
    found = set()
    for d in _watched_dirs():
        try:
            entries = list(os.scandir(d))
        except OSError:
            continue
        for entry in entries:
            try:
                owner = entry.stat(follow_symlinks=False).st_uid
            except OSError:
                continue
            if owner >= SANDBOX_UID or "r1-redteam-pwned" in entry.name or entry.name.startswith("r1rt-"):
                found.add(f"{entry.path} (uid {owner})")
    return found


@dataclass
class Suite:
    returncode: int | None
    timed_out: bool
    stdout: str
    stderr: str
    seconds: float
    containment: dict | None = None
    records: dict[str, dict] = field(default_factory=dict)
    summary: dict | None = None
    left_in_outer_cgroup: list[int] = field(default_factory=list)
    outer_box_groups: list[str] = field(default_factory=list)
    canaries: dict[str, tuple[Path, str]] = field(default_factory=dict)
    files_before: set[str] = field(default_factory=set)
    files_after: set[str] = field(default_factory=set)
    procs_before: list[tuple[int, int, str]] = field(default_factory=list)
    procs_after: list[tuple[int, int, str]] = field(default_factory=list)

    def note(self) -> str:
        """The runner's state, for failure messages."""
        state = "timed out" if self.timed_out else f"exited {self.returncode}"
        return f"\n  (runner {state} after {self.seconds:.0f}s; stderr tail: {self.stderr[-3000:]!r})"


@pytest.fixture(scope="module")
def suite():
    token = secrets.token_hex(6)
    canaries = {"tmp": (Path("/tmp") / f"{CANARY_NAME}-{token}", SECRET_PREFIX + secrets.token_hex(12)),
                "home": (Path.home() / f".{CANARY_NAME}-{token}", SECRET_PREFIX + secrets.token_hex(12))}
    files_before, procs_before = _suspicious_files(), _sandbox_processes()
    for path, secret in canaries.values():
        path.write_text(secret)
        path.chmod(0o600)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", R1RT_ENV_SECRET=SECRET_PREFIX + secrets.token_hex(12),
               R1RT_HOST_CANARIES=json.dumps({k: {"path": str(p), "secret": s} for k, (p, s) in canaries.items()}))
    argv = ["unshare", "--pid", "--fork", "--kill-child", "--mount-proc", "--net", "--ipc", "--uts",
            "--propagation", "private", "--", sys.executable, "-m", "tests.redteam.run_suite"]
    outer = OuterCgroup()
    procs_files = outer.procs_files()

    def enter_outer_cgroup() -> None:  # in the child between fork and exec
        for path in procs_files:
            fd = os.open(path, os.O_WRONLY)
            os.write(fd, b"0")
            os.close(fd)

    start = time.monotonic()
    outer.create()
    try:
        proc = subprocess.Popen(argv, cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, preexec_fn=enter_outer_cgroup,  # noqa: PLW1509
                                start_new_session=True)
        try:
            out, err = proc.communicate(timeout=SUITE_TIMEOUT_S)
            timed_out = False
        except subprocess.TimeoutExpired:
            proc.kill()  # --kill-child takes the namespace's pid 1, and with it every process inside
            out, err = proc.communicate()
            timed_out = True
        result = Suite(proc.returncode, timed_out, out, err, time.monotonic() - start, canaries=canaries)
        time.sleep(0.2)
        result.left_in_outer_cgroup = outer.pids()
        result.outer_box_groups = outer.leftover_groups()
    finally:
        outer.destroy()
    try:
        for line in out.splitlines():
            try:
                item = json.loads(line)
            except ValueError:
                continue
            if "containment" in item:
                result.containment = item["containment"]
            elif "summary" in item:
                result.summary = item["summary"]
            elif "name" in item:
                result.records[item["name"]] = item
        result.files_before, result.files_after = files_before, _suspicious_files()
        result.procs_before, result.procs_after = procs_before, _sandbox_processes()
        result.canaries = {k: (p, s if p.exists() and p.read_text() == s else "CHANGED") for k, (p, s) in canaries.items()}
        yield result
    finally:
        for path, _ in canaries.values():
            path.unlink(missing_ok=True)


def test_the_suite_is_big_enough():
    languages = {p.language for p in PROGRAMS}
    assert len(PROGRAMS) >= 40 and languages == {"python", "cpp"}, f"{len(PROGRAMS)} programs in {languages}"


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.name for p in PROGRAMS])
def test_hostile_program(suite: Suite, program: Program):
    record = suite.records.get(program.name)
    assert record is not None, f"{program.path.name}: the runner printed no verdict for it{suite.note()}"
    problem = mismatch(program, record)
    assert problem is None, problem


def test_the_suite_ran_contained(suite: Suite):
    assert not suite.timed_out and suite.returncode == 0, f"the runner failed{suite.note()}"
    assert suite.containment and "/tmp" in {**suite.containment["overlays"], **suite.containment["fallbacks"]}, \
        f"no containment reported{suite.note()}"
    assert suite.summary is not None, f"the runner printed no summary{suite.note()}"


def test_the_host_is_untouched(suite: Suite):
    assert suite.summary is not None, f"the runner printed no summary{suite.note()}"
    summary = suite.summary
    changed = {label: str(path) for label, (path, value) in suite.canaries.items() if value == "CHANGED"}
    assert not changed, f"host canaries changed or gone: {changed}"
    assert not summary["canaries_changed"], f"canaries changed as the runner saw them: {summary['canaries_changed']}"
    assert not summary["overlay_changes"], f"written or deleted outside the sandbox (caught by overlays): {summary['overlay_changes']}"
    new_files = sorted(suite.files_after - suite.files_before)
    assert not new_files, f"new host files owned by sandbox uids or named like an attack: {new_files}"
    assert not summary["connections"], f"programs reached the runner's listeners: {summary['connections']}"
    assert not summary["leftover_processes"], f"processes left in the runner's pid namespace: {summary['leftover_processes']}"
    assert not suite.left_in_outer_cgroup, f"processes left in the outer cgroup: {suite.left_in_outer_cgroup}"
    assert not summary["leftover_cgroups"] and not suite.outer_box_groups, \
        f"judge cgroups left: {summary['leftover_cgroups']} {suite.outer_box_groups}"
    ours = set(summary["sandbox_uids"])
    before = {pid for _, pid, _ in suite.procs_before}
    left = [p for p in suite.procs_after if p[0] in ours or p[1] not in before]
    # a process of another uid >= SANDBOX_UID may belong to a judge someone else runs on this machine
    assert not [p for p in left if p[0] in ours], f"host processes with the suite's sandbox uids {sorted(ours)}: {left}"


def test_the_judge_still_answers(suite: Suite):
    from evals.judge.judging import judge_code
    from evals.judge.problems import CodeProblem, TestCase

    assert suite.summary is not None, f"the runner printed no summary{suite.note()}"
    assert suite.summary["after"] == {"python": "correct", "cpp": "correct"}, suite.summary["after"]
    ab = CodeProblem("after-redteam", "A+B", [TestCase("1 2\n", "3\n"), TestCase("5 7\n", "12\n")])
    result = judge_code(ab, "a, b = map(int, input().split())\nprint(a + b)\n", "python")
    assert result.reason == "correct", result.to_dict()
