# expect: correct  -- audit: the processes it can see (bwrap, the harness) must hold no capability beyond the harness's documented CAP_SETUID/SETGID/KILL (+ DAC_OVERRIDE/FOWNER for cleanup) and it must hold none; CAPS otherwise
import os
import sys

a, b = map(int, sys.stdin.readline().split())
allowed = (1 << 1) | (1 << 3) | (1 << 5) | (1 << 6) | (1 << 7)  # DAC_OVERRIDE, FOWNER, KILL, SETGID, SETUID
excess = []
for pid in (p for p in os.listdir("/proc") if p.isdigit()):
    try:
        with open(f"/proc/{pid}/status") as f:
            status = dict(line.split(":\t", 1) for line in f.read().splitlines() if ":\t" in line)
    except OSError:
        continue
    for field in ("CapEff", "CapPrm", "CapAmb"):
        caps = int(status.get(field, "0"), 16)
        limit = 0 if pid == str(os.getpid()) else allowed
        if caps & ~limit:
            excess.append((pid, status.get("Name", "").strip(), field, hex(caps)))
print(f"CAPS {excess}" if excess else a + b)
