# expect: wrong_answer  -- the expected output is a random secret: hunts it on disk, in /proc of every process, its fds, environment and argv; only "nothing" may come out
# problem: hunt
import os
import re
import stat
import sys

pattern = re.compile(rb"R1RT-[0-9a-f]{24}")
found = []
skip = (os.path.realpath(sys.base_prefix), "/usr", "/proc", "/sys", "/dev")


def scan(path):
    try:
        if stat.S_ISREG(os.stat(path).st_mode):
            with open(path, "rb") as f:
                match = pattern.search(f.read(1 << 20))
            if match:
                found.append(match.group().decode())
    except OSError:
        pass


for dirpath, dirnames, filenames in os.walk("/"):
    dirnames[:] = [d for d in dirnames if not os.path.join(dirpath, d).startswith(skip)]
    for name in filenames:
        scan(os.path.join(dirpath, name))
for pid in (p for p in os.listdir("/proc") if p.isdigit()):
    for name in ("environ", "cmdline", "maps", "status"):
        scan(f"/proc/{pid}/{name}")
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            scan(f"/proc/{pid}/fd/{fd}")
    except OSError:
        pass
for fd in range(3, 64):
    scan(f"/dev/fd/{fd}")
for text in [*os.environ.values(), *sys.argv]:
    match = pattern.search(text.encode())
    if match:
        found.append(match.group().decode())
print(found[0] if found else "nothing")
