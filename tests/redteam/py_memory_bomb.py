# expect: memory_limit  -- allocates and touches 16 MB blocks forever: the memory cgroup's OOM kill
# per-test: memory_limit ; correct  -- the memory is given back before test 2
import sys

a, b = map(int, sys.stdin.readline().split())
if (a, b) == (1, 2):
    blocks = []
    while True:
        blocks.append(b"\1" * (16 << 20))
print(a + b)
