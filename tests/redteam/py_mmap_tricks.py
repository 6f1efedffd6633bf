# expect: correct  -- writable shared mappings of the harness and the interpreter, /proc/<harness>/mem, a 64 GB untouched reservation (legitimate); PWNED if a write path opens
import mmap
import os
import sys

a, b = map(int, sys.stdin.readline().split())
pwned = []
for path in ("/box/harness.py", os.path.realpath(sys.executable), os.__file__):
    try:
        fd = os.open(path, os.O_RDWR)
        mmap.mmap(fd, 0, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
        pwned.append(path)
    except (OSError, ValueError):
        pass
for pid in (os.getppid(), 1):
    try:
        with open(f"/proc/{pid}/mem", "r+b"):
            pwned.append(f"/proc/{pid}/mem")
    except OSError:
        pass
reserved = mmap.mmap(-1, 64 << 30, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | getattr(mmap, "MAP_NORESERVE", 0x4000))
reserved[0] = reserved[(64 << 30) - 1] = 1  # two pages touched out of 16 million
print(f"PWNED {pwned}" if pwned else a + b)
