# expect: time_limit|runtime_error|memory_limit  -- a shell fork bomb through os.system, then a busy shell loop
# per-test: time_limit|runtime_error|memory_limit ; correct  -- the shell's whole tree must be gone before test 2
# (the shells' memory can reach the 128 MB limit before the pids limit stops them: then the OOM killer takes the
# harness too, and test 2 runs in a fresh box; memory_limit is an honest verdict for a bomb that got that far)
import os
import sys

a, b = map(int, sys.stdin.readline().split())
if (a, b) == (1, 2):
    status = os.system("bomb() { bomb | bomb & }; bomb; while :; do :; done")
    # the loop never ends, so a return means the shell could not even start (fork refused at the pids
    # limit under a loaded suite): the bomb never ran, and the answer must not pass for a contained one
    sys.exit(f"the shell returned {status}: the bomb did not run")
print(a + b)
