# expect: correct  -- reads /proc/*/environ, cmdline and every file behind /proc/*/fd it can open; LEAK if a secret or a foreign environment shows
import os
import stat
import sys

a, b = map(int, sys.stdin.readline().split())
me = str(os.getpid())
found = []
for pid in (p for p in os.listdir("/proc") if p.isdigit()):
    for name in ("environ", "cmdline"):
        try:
            with open(f"/proc/{pid}/{name}", "rb") as f:
                data = f.read()
        except OSError:
            continue
        if b"R1RT" in data or (name == "environ" and pid != me and b"HOME=" in data):
            found.append((pid, name, data[:300]))
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        continue
    for fd in fds:
        path = f"/proc/{pid}/fd/{fd}"
        try:
            if stat.S_ISREG(os.stat(path).st_mode):
                with open(path, "rb") as f:
                    if b"R1RT" in f.read(1 << 20):
                        found.append((pid, fd, os.readlink(path)))
        except OSError:
            pass
print(f"LEAK {found}" if found else a + b)
