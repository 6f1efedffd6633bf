# expect: correct  -- through ctypes: unshare(CLONE_NEWUSER), mount, ptrace, bpf, io_uring_setup, userfaultfd, personality changes, keyctl must fail with EPERM (clone3 with ENOSYS); ALLOWED otherwise; BROKEN if threads, subprocess or the personality query fail
# per-test: correct ; correct
import ctypes
import errno
import subprocess
import sys
import threading

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
calls = {"unshare(NEWUSER)": (272, 0x10000000), "unshare(NEWNS)": (272, 0x00020000),
         "mount": (165, b"none", b"/tmp", b"tmpfs", 0, 0), "ptrace(TRACEME)": (101, 0, 0, 0, 0),
         "bpf": (321, 0, 0, 0), "io_uring_setup": (425, 1, 0), "userfaultfd": (323, 0),
         "personality(READ_IMPLIES_EXEC)": (135, 0x0400000), "personality(PER_LINUX)": (135, 0),
         "keyctl": (250, 0, -3), "setns": (308, 0, 0), "kexec_load": (246, 0, 0, 0, 0),
         "init_module": (175, 0, 0, b""), "reboot": (169, 0, 0, 0, 0), "swapoff": (168, b"/tmp")}
a, b = map(int, sys.stdin.readline().split())
bad = []
for name, (nr, *args) in {**calls, "clone3": (435, 0, 0)}.items():
    ctypes.set_errno(0)
    r = libc.syscall(ctypes.c_long(nr), *[ctypes.c_long(x) if isinstance(x, int) else x for x in args])
    want = errno.ENOSYS if name == "clone3" else errno.EPERM
    if r >= 0 or ctypes.get_errno() != want:
        bad.append(f"{name}={r}/{errno.errorcode.get(ctypes.get_errno())}")
broken = []
if libc.syscall(ctypes.c_long(135), ctypes.c_long(0xFFFFFFFF)) < 0:
    broken.append("personality-query")
box = []
t = threading.Thread(target=box.append, args=(1,))
t.start()
t.join()
if box != [1]:
    broken.append("thread")
if subprocess.run(["/bin/echo", "x"], capture_output=True).stdout != b"x\n":
    broken.append("subprocess")
print(f"ALLOWED {bad}" if bad else f"BROKEN {broken}" if broken else a + b)
