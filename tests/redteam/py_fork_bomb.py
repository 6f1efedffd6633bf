# expect: time_limit|runtime_error|memory_limit  -- forks forever on test 1 (pids cgroup and RLIMIT_NPROC cap it, wall/CPU ends it)
# per-test: time_limit|runtime_error|memory_limit ; correct  -- test 2 can start only if every bomb process was killed
import os
import sys

a, b = map(int, sys.stdin.readline().split())
if (a, b) == (1, 2):
    while True:
        try:
            os.fork()
        except OSError:
            pass
print(a + b)
