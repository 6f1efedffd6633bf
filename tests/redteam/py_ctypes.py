# expect: correct  -- ctypes (when the interpreter has it): setuid(0), ptrace/prlimit/signal the harness through libc; PWNED if any works; without ctypes it only answers
import os
import sys

a, b = map(int, sys.stdin.readline().split())
try:
    import ctypes
except ImportError:
    ctypes = None
pwned = []
if ctypes is not None:
    libc = ctypes.CDLL(None, use_errno=True)
    harness = os.getppid()
    if libc.setuid(0) == 0 or os.geteuid() == 0:
        pwned.append("setuid(0)")
    if libc.ptrace(16, harness, None, None) == 0:  # PTRACE_ATTACH
        pwned.append("ptrace attach")
    if libc.kill(harness, 0) == 0:
        pwned.append("may signal the harness")

    class Rlimit(ctypes.Structure):
        _fields_ = [("cur", ctypes.c_ulong), ("max", ctypes.c_ulong)]

    if libc.prlimit(harness, 7, ctypes.byref(Rlimit(4, 4)), None) == 0:  # RLIMIT_NOFILE
        pwned.append("prlimit on the harness")
print(f"PWNED {pwned}" if pwned else a + b)
