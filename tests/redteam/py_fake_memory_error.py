# expect: runtime_error  -- prints a MemoryError traceback to stderr and exits 1 using almost no memory: a verdict comes from the cgroup, not from text
# per-test: runtime_error ; correct
import sys

a, b = map(int, sys.stdin.readline().split())
if (a, b) == (1, 2):
    print("Traceback (most recent call last):\n  File \"solution.py\", line 1, in <module>\nMemoryError", file=sys.stderr)
    print("terminate called after throwing an instance of 'std::bad_alloc'\n  what():  std::bad_alloc", file=sys.stderr)
    sys.exit(1)
print(a + b)
