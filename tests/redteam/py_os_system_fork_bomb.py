# expect: time_limit|runtime_error  -- a shell fork bomb through os.system, then a busy shell loop
# per-test: time_limit|runtime_error ; correct  -- the harness must clean the shell's whole process tree
import os
import sys

a, b = map(int, sys.stdin.readline().split())
if (a, b) == (1, 2):
    os.system("bomb() { bomb | bomb & }; bomb; while :; do :; done")
print(a + b)
