# expect: correct  -- raises its hard rlimits (CPU, FSIZE, NPROC, NOFILE, CORE) and prlimit()s the harness and pid 1; PWNED if any works
import os
import resource
import sys

a, b = map(int, sys.stdin.readline().split())
pwned = []
for name in ("RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_CORE"):
    limit = getattr(resource, name)
    soft, hard = resource.getrlimit(limit)
    if hard == resource.RLIM_INFINITY:
        pwned.append(f"{name} has no hard limit")
        continue
    try:
        resource.setrlimit(limit, (hard + 1, hard + 1))
        pwned.append(name)
    except (ValueError, OSError):
        pass
for pid in (os.getppid(), 1):
    try:
        resource.prlimit(pid, resource.RLIMIT_NOFILE, (4, 4))
        pwned.append(f"prlimit {pid}")
    except (ValueError, OSError):
        pass
print(f"PWNED {pwned}" if pwned else a + b)
