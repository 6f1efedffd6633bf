"""The code judge's isolation between tests, boxes and judges: the seccomp filter, the uid lease, the
scratch cleanup, the host disk one submission may take, and what ``judge --check`` leaves behind.

Hostile programs for each live in tests/redteam (py_deep_tmp_tree, *_keyring_persist, *_denied_syscalls).
"""
import functools
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import pytest

from evals.judge import cgroups, harness, sandbox, seccomp, uids
from evals.judge.judging import BOX_MEMORY_MB, judge_code
from evals.judge.problems import CodeProblem, TestCase
from evals.judge.sandbox import Box, Limits, SandboxUnavailable, check_layers

LAYERS = check_layers()
needs_sandbox = pytest.mark.skipif(not LAYERS.ok, reason="sandbox layers missing: " + "; ".join(LAYERS.problems))
pytestmark = pytest.mark.timeout(300)

AB = CodeProblem("a-plus-b", "", [TestCase(f"{i} {i * 7}\n", f"{i * 8}\n") for i in range(1, 5)],
                 time_limit_s=2.0, memory_mb=128)


# --- the seccomp filter --------------------------------------------------------------------------

@needs_sandbox
def test_the_filter_is_active_in_a_box_and_leaves_what_programs_need():
    with Box(memory_mb=BOX_MEMORY_MB) as box:
        assert box.build(seccomp.PROBE, "python") is None
        (box.io_dir / "empty.in").write_bytes(b"")
        run = box.run_program(box.io_dir / "empty.in", Limits(cpu_s=5, wall_s=10, memory_mb=256))
        got = json.loads(Path(run.stdout_path).read_text())
    # denied calls: EPERM; the near misses an honest runtime needs: the personality query works, and
    # clone3 says ENOSYS so that libc falls back to clone
    assert got == seccomp.EXPECTED
    assert got["personality(query)"] == "ok" and got["clone3"] == "ENOSYS"


@needs_sandbox
@pytest.mark.parametrize("language,code", [
    ("python", "import subprocess, threading\nout = []\nt = threading.Thread(target=lambda: out.append("
               "subprocess.run(['/bin/echo', '1'], capture_output=True).stdout))\nt.start(); t.join()\n"
               "a, b = map(int, input().split())\nprint(a + b + int(out[0]) - 1)\n"),
    ("cpp", "#include <iostream>\n#include <thread>\n#include <unistd.h>\n#include <sys/wait.h>\n"
            "int main(){ long long a,b; std::cin>>a>>b; long long s=0; std::thread t([&]{ s=a+b; }); t.join();\n"
            "  pid_t p = fork(); if (p == 0) { execl(\"/bin/true\", \"true\", (char*)0); _exit(9); }\n"
            "  int st; waitpid(p, &st, 0); std::cout << s + WEXITSTATUS(st) << '\\n'; }\n"),
])
def test_threads_and_child_processes_still_work_under_the_filter(language, code):
    assert judge_code(AB, code, language).reason == "correct"


def test_without_libseccomp_the_check_fails_and_no_box_starts(monkeypatch):
    def missing():
        raise seccomp.SeccompUnavailable("libseccomp is missing (test)")

    monkeypatch.setattr(seccomp, "_library", missing)
    layers = check_layers()
    assert not layers.ok and layers.seccomp == "unavailable"
    assert any("libseccomp" in p for p in layers.problems)
    with pytest.raises(SandboxUnavailable, match="libseccomp"):
        Box()


# --- uids ------------------------------------------------------------------------------------------

def test_uid_leases_are_exclusive_until_released(monkeypatch, tmp_path):
    monkeypatch.setattr(uids, "LOCK_DIRS", (tmp_path / "locks",))
    draws = iter([5, 5, 5, 6, 5])
    monkeypatch.setattr(uids.secrets, "randbelow", lambda n: next(draws))
    first = uids.UidLease()
    second = uids.UidLease()  # draws 5 (held by first) twice, then 6
    assert (first.uid, second.uid) == (uids.UID_FIRST + 5, uids.UID_FIRST + 6)
    first.release()
    assert not (tmp_path / "locks" / str(uids.UID_FIRST + 5)).exists()
    third = uids.UidLease()  # 5 is free again
    assert third.uid == uids.UID_FIRST + 5
    second.release()
    third.release()


@needs_sandbox
@pytest.mark.skipif(os.geteuid() != 0, reason="tests run under another uid only when the judge is root")
def test_concurrent_boxes_get_distinct_uids_in_the_range():
    boxes = [Box(memory_mb=256, slot=0) for _ in range(3)]  # the same slot: it no longer picks the uid
    try:
        got = [b.child_uid for b in boxes]
        assert len(set(got)) == 3
        assert all(uids.UID_FIRST <= u < uids.UID_FIRST + uids.UID_COUNT for u in got)
    finally:
        for b in boxes:
            b.close()
    assert all(b.lease is None for b in boxes)


# --- scratch cleanup ---------------------------------------------------------------------------------

def _deep_tree(top: Path, depth: int, name_len: int) -> None:
    fd = os.open(top, os.O_RDONLY | os.O_DIRECTORY)
    for level in range(depth):
        name = f"{level:05d}".ljust(name_len, "d")
        os.mkdir(name, dir_fd=fd)
        child = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
        if level % 500 == 0:
            os.mkfifo("fifo", dir_fd=child)
            os.symlink("loop", "loop", dir_fd=child)
            os.symlink("..", "up", dir_fd=child)
            os.close(os.open(b"odd \xff\n*", os.O_CREAT | os.O_WRONLY, 0, dir_fd=child))
        os.close(fd)
        fd = child
    os.close(fd)


@pytest.fixture
def scratch(tmp_path):
    """An empty directory on a tmpfs, like the box's scratch (the host disk where there is none)."""
    base = Path("/dev/shm") if os.access("/dev/shm", os.W_OK) else tmp_path
    top = Path(tempfile.mkdtemp(prefix="r1-cleanup-test-", dir=base))
    yield top
    shutil.rmtree(top, ignore_errors=True)


def test_scratch_cleanup_is_linear_and_needs_no_memory(scratch, monkeypatch):
    top = scratch
    _deep_tree(top, 3000, 250)  # paths of 750 KB: building each one (shutil.rmtree) is quadratic
    (top / "wide").mkdir()
    for i in range(3000):
        (top / "wide" / f"d{i}").mkdir()
        (top / "wide" / f"d{i}" / "f").write_bytes(b"x")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(top / "sock"))
    sock.close()
    (top / "locked").mkdir()
    (top / "locked" / "inner").mkdir()
    (top / "locked").chmod(0)
    directories = 3000 + 1 + 3000 + 2
    opens = []
    real_open = os.open
    monkeypatch.setattr(harness.os, "open", lambda *a, **k: opens.append(1) or real_open(*a, **k))
    tracemalloc.start()
    t0 = time.perf_counter()
    harness._remove_contents(str(top))
    seconds = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    monkeypatch.undo()
    assert os.listdir(top) == []
    # linear work: each directory is opened at most twice (going in, and as ``..`` coming back)
    assert len(opens) <= 2 * directories + 1, len(opens)
    assert peak < 256 << 10, f"the cleanup held {peak} bytes"
    assert seconds < 60, f"{seconds:.1f}s for {directories} directories"  # a hang guard (0.5 s on tmpfs)


def test_scratch_cleanup_ends_when_something_cannot_be_removed(scratch, monkeypatch):
    top = scratch
    (top / "a" / "b").mkdir(parents=True)
    (top / "a" / "b" / "kept").write_bytes(b"x")
    (top / "gone").write_bytes(b"x")
    (top / "busy").mkdir()  # empty, but its rmdir fails as a mount point's would (EBUSY)
    real_unlink, real_rmdir = os.unlink, os.rmdir

    def unlink(name, *, dir_fd=None):
        if name == "kept":
            raise PermissionError(1, "not allowed (test)")
        return real_unlink(name, dir_fd=dir_fd)

    def rmdir(name, *, dir_fd=None):
        if name == "busy":
            raise OSError(16, "busy (test)")
        return real_rmdir(name, dir_fd=dir_fd)

    monkeypatch.setattr(harness.os, "unlink", unlink)
    monkeypatch.setattr(harness.os, "rmdir", rmdir)
    harness._remove_contents(str(top))  # must return, not loop between a and a/b, or in and out of busy
    assert sorted(os.listdir(top)) == ["a", "busy"] and os.listdir(top / "a" / "b") == ["kept"]


# --- host disk -------------------------------------------------------------------------------------

@needs_sandbox
def test_a_submission_holds_one_tests_output_on_the_host_disk(monkeypatch):
    flood = ("import sys\na, b = map(int, input().split())\nsys.stdout.write('1' * (6 << 20))\n"
             "sys.stderr.write('2' * (6 << 20))\nprint(a + b)\n")
    seen = []
    real_run = Box.run

    def run(self, *args, **kwargs):
        execution = real_run(self, *args, **kwargs)
        files = [p for p in self.io_dir.iterdir() if p.suffix in (".out", ".err", ".json")]
        seen.append((len(files), sum(p.stat().st_size for p in files)))
        return execution

    monkeypatch.setattr(Box, "run", run)
    result = judge_code(AB, flood, "python", stop_at_first_failure=False)
    assert [t.reason for t in result.tests] == ["wrong_answer"] * len(AB.tests)
    assert len(seen) == len(AB.tests)
    # at its fullest (right after a run, before the check) the host holds that one run's two files
    assert all(count == 2 and size <= (12 << 20) + 64 for count, size in seen), seen
    assert sum(size for _, size in seen) > (40 << 20)  # the floods did happen


# --- judge --check -------------------------------------------------------------------------------------

def _judge_cgroup_dirs() -> set[str]:
    own = cgroups._own_paths()
    found = set()
    for controller in ("pids", "cpuacct", "memory", ""):
        if controller not in own:
            continue
        base = cgroups.ROOT / (controller or "unified") / own[controller].lstrip("/")
        if base.is_dir():
            found |= {str(p) for p in base.glob("r1-judge*")}
    return found


@needs_sandbox
def test_check_layers_leaves_no_cgroup_it_made(monkeypatch):
    name = f"r1-judge-check-{os.getpid()}"
    monkeypatch.setattr(sandbox, "find_cgroups", functools.partial(cgroups.find_cgroups, base_name=name))
    assert check_layers().ok
    assert not [d for d in _judge_cgroup_dirs() if d.endswith(name)]
    parent = cgroups.find_cgroups(base_name=name)  # a judge that does make it: then release removes it
    assert all(d.is_dir() for d in parent.dirs.values()) and parent.created
    parent.release()
    assert not any(d.exists() for d in parent.dirs.values())


@needs_sandbox
def test_judge_check_reports_the_filter_and_leaves_no_cgroup():
    before = _judge_cgroup_dirs()
    check = subprocess.run([sys.executable, "-m", "evals", "judge", "--check"], capture_output=True, text=True,
                           timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    report = json.loads(check.stdout)
    assert report["ok"] and report["filter_probe"] == seccomp.EXPECTED and "keyctl" in report["seccomp"]
    assert _judge_cgroup_dirs() <= before  # nothing new (another judge's r1-judge may stay or go)
