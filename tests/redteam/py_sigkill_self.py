# expect: runtime_error  -- sends itself SIGKILL (the OOM killer's and the watchdog's signal) far below every limit
# per-test: runtime_error ; correct
import os
import signal
import sys

a, b = map(int, sys.stdin.readline().split())
if (a, b) == (1, 2):
    os.kill(os.getpid(), signal.SIGKILL)
print(a + b)
