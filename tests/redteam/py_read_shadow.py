# expect: correct  -- reads /etc/shadow, /etc/passwd, root's files, the repo and the canaries (also via /proc/1/root); LEAK with anything it could read
import sys

a, b = map(int, sys.stdin.readline().split())
paths = ["/etc/shadow", "/etc/passwd", "/etc/hostname", "/root/.bash_history", "/root/.ssh/id_rsa",
         "/proc/1/root/etc/shadow", "/proc/2/root/etc/shadow", "/proc/1/root/etc/passwd",
         "/work/main/pyproject.toml", "/proc/1/cwd/pyproject.toml", *"@@CANARIES@@".split()]
leaked = []
for path in paths:
    try:
        with open(path, "rb") as f:
            leaked.append((path, f.read(200)))
    except OSError:
        pass
print(f"LEAK {leaked}" if leaked else a + b)
