# expect: correct  -- kill(-1) with SIGSTOP, SIGTERM and SIGKILL: may reach only its own processes (none)
# per-test: correct ; correct
import os
import signal
import sys

a, b = map(int, sys.stdin.readline().split())
if (a, b) == (1, 2):
    for sig in (signal.SIGSTOP, signal.SIGTERM, signal.SIGKILL):
        try:
            os.kill(-1, sig)
        except OSError:
            pass
print(a + b)
