# expect: correct  -- opens (never writes) /proc/sysrq-trigger, /proc/sys/kernel/*, /proc/sys/vm/drop_caches, cgroup files for writing, and mounts cgroupfs; PWNED if any opens
import os
import subprocess
import sys

a, b = map(int, sys.stdin.readline().split())
pwned = []
for path in ("/proc/sysrq-trigger", "/proc/sys/kernel/hostname", "/proc/sys/kernel/core_pattern",
             "/proc/sys/vm/drop_caches", "/proc/sys/kernel/pid_max", "/proc/1/oom_score_adj",
             f"/proc/{os.getppid()}/oom_score_adj", "/sys/fs/cgroup/pids/pids.max", "/sys/kernel/uevent_helper"):
    try:
        fd = os.open(path, os.O_WRONLY)
        os.close(fd)
        pwned.append(path)
    except OSError:
        pass
try:
    run = subprocess.run(["mount", "-t", "cgroup", "-o", "pids", "none", "/work"], capture_output=True, timeout=0.5, check=False)
    if run.returncode == 0:
        pwned.append("mounted cgroupfs")
except (OSError, subprocess.TimeoutExpired):
    pass
print(f"PWNED {pwned}" if pwned else a + b)
