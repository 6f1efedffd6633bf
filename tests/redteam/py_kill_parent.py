# expect: correct  -- SIGSTOP then SIGKILL to its parent (the harness), pid 1 and every pid it can see; test 2 needs a live harness
# per-test: correct ; correct
import os
import signal
import sys

a, b = map(int, sys.stdin.readline().split())
if (a, b) == (1, 2):
    targets = [os.getppid(), 1] + [int(p) for p in os.listdir("/proc") if p.isdigit()]
    for sig in (signal.SIGSTOP, signal.SIGKILL):
        for pid in targets:
            if pid != os.getpid():
                try:
                    os.kill(pid, sig)
                except OSError:
                    pass
print(a + b)
