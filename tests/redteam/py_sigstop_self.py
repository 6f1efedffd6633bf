# expect: time_limit  -- stops itself with SIGSTOP: the wall watchdog must still kill it
# per-test: time_limit ; correct
import os
import signal
import sys

a, b = map(int, sys.stdin.readline().split())
if (a, b) == (1, 2):
    os.kill(os.getpid(), signal.SIGSTOP)
print(a + b)
