# expect: correct  -- creates files where only the host has them (home, repo, judge temp dirs, /etc, /usr, /box, /state, /proc/1/root ...); PWNED if any works or a host canary is visible
import glob
import os
import sys

a, b = map(int, sys.stdin.readline().split())
name = "r1-redteam-pwned"
dirs = ["/", "/root", "/home", "/work/main", "/work/main/tests", "/etc", "/usr", "/usr/bin", "/usr/lib", "/box",
        "/state", "/var/tmp", "/dev", "/dev/shm", "/proc/1/root/tmp", "/proc/1/cwd", "/proc/2/root/tmp",
        "/proc/2/cwd", "/proc/1/root", os.path.dirname(os.__file__), os.path.dirname(os.path.realpath(sys.executable))]
dirs += glob.glob("/tmp/r1-judge-*") + glob.glob("/tmp/r1-judge-*/*") + glob.glob("/work/main")
pwned = []
for d in dirs:
    try:
        with open(os.path.join(d, name), "x") as f:
            f.write("pwned")
        pwned.append(d)
    except OSError:
        pass
visible = [p for p in "@@CANARIES@@".split() if os.path.exists(p)]
print(f"PWNED {pwned} {visible}" if pwned or visible else a + b)
