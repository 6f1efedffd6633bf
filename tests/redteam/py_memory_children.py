# expect: memory_limit  -- 12 children hold 24 MB each: every one is small, the tree (288 MB) is over 128 MB
# per-test: memory_limit ; correct
import os
import sys
import time

a, b = map(int, sys.stdin.readline().split())
if (a, b) == (1, 2):
    children = []
    for _ in range(12):
        pid = os.fork()
        if pid == 0:
            block = b"\1" * (24 << 20)
            time.sleep(1)
            os._exit(0)
        children.append(pid)
    for pid in children:
        os.waitpid(pid, 0)
print(a + b)
