"""The system-call filter of every sandbox: what a model-written program may not ask the kernel.

Usage::

    from evals.judge.seccomp import filter_bpf, describe, SeccompUnavailable

    bpf = filter_bpf()      # a compiled classic-BPF program (bubblewrap's ``--seccomp FD`` reads it)
    print(describe())       # one line for ``python -m evals judge --check``

bubblewrap installs the filter once per sandbox, right before it starts the harness, so the harness
and every test it forks inherit it (a filter cannot be removed, and survives fork, exec and setuid):
it costs nothing per test. The namespaces, cgroup and uid keep programs apart; the filter closes what
those leave open:

* channels that outlive a process and are keyed by uid, not by namespace: the kernel keyrings
  (keyctl, add_key, request_key). A key added in one test would otherwise be read by the next, or by
  another box given the same uid;
* ways back out of the box: new namespaces (unshare, setns, clone with CLONE_NEW* flags; user
  namespaces work inside the box without this), mounts (mount, umount2, pivot_root and the new mount
  API), tracing (ptrace, process_vm_readv/writev, pidfd_getfd);
* kernel attack surface no solution needs: bpf, perf_event_open, io_uring_*, userfaultfd, module,
  kexec, reboot and swap calls, syslog, acct, quotactl, open_by_handle_at, personality changes.

Policy: every denied call returns EPERM, so a program sees an ordinary error (a library that probes
io_uring or userfaultfd falls back) and an honest solution is never killed by a probe. clone3 returns
ENOSYS: its flags sit behind a pointer no filter can read, and ENOSYS makes glibc (threads,
posix_spawn) fall back to clone, whose flags are checked (what Docker and systemd do). personality
may only be queried (``personality(0xffffffff)``); any other value, PER_LINUX included, is EPERM.
The 32-bit ABIs of the machine (i386 via int 0x80, x32 on x86-64; arm on aarch64) get the same
table; a call from any other ABI kills the process (no such call can come from an honest program).
"""
from __future__ import annotations

import errno
import functools
import os

DENIED = (
    # kernel keyrings: shared by uid across tests, boxes and judges, and they outlive the process
    "keyctl", "add_key", "request_key",
    # namespaces and mounts
    "unshare", "setns", "mount", "umount2", "pivot_root", "chroot",
    "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",
    # other processes' memory
    "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd",
    # kernel attack surface
    "bpf", "perf_event_open", "io_uring_setup", "io_uring_enter", "io_uring_register", "userfaultfd",
    "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot",
    "swapon", "swapoff", "syslog", "acct", "quotactl", "open_by_handle_at", "lookup_dcookie",
)
NO_SYSCALL = ("clone3",)  # ENOSYS: libc falls back to clone, which the filter can read
CLONE_NAMESPACES = {"CLONE_NEWNS": 0x00020000, "CLONE_NEWCGROUP": 0x02000000, "CLONE_NEWUTS": 0x04000000,
                    "CLONE_NEWIPC": 0x08000000, "CLONE_NEWUSER": 0x10000000, "CLONE_NEWPID": 0x20000000,
                    "CLONE_NEWNET": 0x40000000}
PERSONALITY_QUERY = 0xFFFFFFFF


class SeccompUnavailable(RuntimeError):
    """libseccomp (or its Python wrapper) is missing: the sandbox refuses to start without the filter."""


def _library():
    try:
        import pyseccomp
    except (ImportError, RuntimeError, OSError) as exc:  # pyseccomp raises RuntimeError without the C library
        raise SeccompUnavailable(
            f"the system-call filter needs libseccomp and pyseccomp ({exc}): apt-get install -y libseccomp2 "
            "(Debian/Ubuntu) or dnf install libseccomp (Fedora), and pip install pyseccomp") from exc
    return pyseccomp


def _compat_arches(sc) -> list[int]:
    """The other ABIs a process of the native one can call the kernel through."""
    native = sc.system_arch()
    return {sc.Arch.X86_64: [sc.Arch.X86, sc.Arch.X32], sc.Arch.AARCH64: [sc.Arch.ARM]}.get(native, [])


@functools.cache
def filter_bpf() -> bytes:
    """The compiled filter (built once per process; a few hundred bytes)."""
    sc = _library()
    filt = sc.SyscallFilter(sc.ALLOW)
    filt.set_attr(sc.Attr.ACT_BADARCH, sc.KILL_PROCESS)
    for arch in _compat_arches(sc):
        try:
            filt.add_arch(arch)
        except OSError:
            pass  # libseccomp without that ABI: its calls hit ACT_BADARCH (killed), still closed
    eperm = sc.ERRNO(errno.EPERM)
    for name in DENIED:
        filt.add_rule(eperm, name)
    for name in NO_SYSCALL:
        filt.add_rule(sc.ERRNO(errno.ENOSYS), name)
    for flag in CLONE_NAMESPACES.values():  # one rule per flag: a rule ANDs its conditions
        filt.add_rule(eperm, "clone", sc.Arg(0, sc.MASKED_EQ, flag, flag))
    # "anything but the query": below it or above it (a rule cannot compare one argument twice)
    filt.add_rule(eperm, "personality", sc.Arg(0, sc.LT, PERSONALITY_QUERY))
    filt.add_rule(eperm, "personality", sc.Arg(0, sc.GT, PERSONALITY_QUERY))
    read, write = os.pipe()
    try:
        with open(write, "wb") as out:
            filt.export_bpf(out)
        chunks = []
        while chunk := os.read(read, 1 << 16):
            chunks.append(chunk)
    finally:
        os.close(read)
    return b"".join(chunks)


def describe() -> str:
    """What the filter does, for ``judge --check``; raises SeccompUnavailable when it cannot be built."""
    sc = _library()
    size = len(filter_bpf()) // 8  # struct sock_filter is 8 bytes
    arches = ["native"] + [name for name in ("X86", "X32", "ARM") if getattr(sc.Arch, name) in _compat_arches(sc)]
    return (f"seccomp via libseccomp (pyseccomp {sc.__version__}), {size} BPF instructions, ABIs "
            f"{'+'.join(arches)} (others killed): EPERM for {len(DENIED)} calls ({', '.join(DENIED[:3])}, ...), "
            f"clone with CLONE_NEW* flags, personality changes; ENOSYS for clone3")


def pass_to_bwrap() -> tuple[int, list[str]]:
    """A pipe holding the filter, and bubblewrap's options to load it; close the fd after the start."""
    data = filter_bpf()
    read, write = os.pipe()
    try:
        os.write(write, data)  # far below a pipe's buffer: never blocks
    finally:
        os.close(write)
    return read, ["--seccomp", str(read)]


# Run in a box by ``judge --check``: each guarded call and the errno it got ("ok" if it worked).
PROBE = r"""
import ctypes, errno, json
libc = ctypes.CDLL(None, use_errno=True)
calls = {"keyctl": (250, 0, -3, 0), "add_key": (248, b"user", b"r1-probe", b"x", 1, -4),
         "unshare(CLONE_NEWUSER)": (272, 0x10000000), "clone(CLONE_NEWUSER)": (56, 0x10000000 | 17, 0, 0, 0, 0),
         "mount": (165, b"none", b"/tmp", b"tmpfs", 0, 0), "ptrace(TRACEME)": (101, 0, 0, 0, 0),
         "bpf": (321, 0, 0, 0), "io_uring_setup": (425, 1, 0), "userfaultfd": (323, 0),
         "perf_event_open": (298, 0, 0, -1, -1, 0), "personality(ADDR_NO_RANDOMIZE)": (135, 0x0040000),
         "personality(query)": (135, 0xFFFFFFFF), "clone3": (435, 0, 0)}
got = {}
for name, (nr, *args) in calls.items():
    ctypes.set_errno(0)
    r = libc.syscall(ctypes.c_long(nr), *[ctypes.c_long(a) if isinstance(a, int) else a for a in args])
    got[name] = "ok" if r >= 0 else errno.errorcode.get(ctypes.get_errno(), str(ctypes.get_errno()))
    if name.startswith("clone(") and r == 0:
        libc._exit(0)
print(json.dumps(got))
"""
EXPECTED = {name: "EPERM" for name in ("keyctl", "add_key", "unshare(CLONE_NEWUSER)", "clone(CLONE_NEWUSER)", "mount",
                                       "ptrace(TRACEME)", "bpf", "io_uring_setup", "userfaultfd", "perf_event_open",
                                       "personality(ADDR_NO_RANDOMIZE)")}
EXPECTED.update({"personality(query)": "ok", "clone3": "ENOSYS"})
