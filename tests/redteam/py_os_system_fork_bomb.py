# expect: time_limit|runtime_error  -- a shell fork bomb through os.system, then a busy shell loop
# per-test: time_limit|runtime_error ; correct  -- the harness must clean the shell's whole process tree
import os
import sys

a, b = map(int, sys.stdin.readline().split())
if (a, b) == (1, 2):
    status = os.system("bomb() { bomb | bomb & }; bomb; while :; do :; done")
    # the loop never ends, so a return means the shell could not even start (fork refused at the pids
    # limit under a loaded suite): the bomb never ran, and the answer must not pass for a contained one
    sys.exit(f"the shell returned {status}: the bomb did not run")
print(a + b)
