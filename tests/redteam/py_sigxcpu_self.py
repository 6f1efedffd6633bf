# expect: runtime_error  -- sends itself SIGXCPU (the CPU-limit signal: a time_limit at 0.00 s CPU once) far below every limit
# per-test: runtime_error ; correct
import os
import signal
import sys

a, b = map(int, sys.stdin.readline().split())
if (a, b) == (1, 2):
    os.kill(os.getpid(), signal.SIGXCPU)
print(a + b)
