# expect: correct  -- looks for inherited descriptors (the harness's socket, the tests' files) and opens other processes' fds via /proc; LEAK if any foreign descriptor is reachable
import os
import sys

a, b = map(int, sys.stdin.readline().split())
found = []
for fd in range(3, 1024):
    try:
        os.fstat(fd)
        found.append((fd, os.readlink(f"/proc/self/fd/{fd}")))
    except OSError:
        pass
for pid in (p for p in os.listdir("/proc") if p.isdigit() and p != str(os.getpid())):
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            found.append((pid, fd, os.readlink(f"/proc/{pid}/fd/{fd}")))
    except OSError:
        pass
print(f"LEAK {found}" if found else a + b)
