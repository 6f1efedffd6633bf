# expect: runtime_error  -- raises MemoryError itself at a few MB: no memory limit was reached
# per-test: runtime_error ; correct
import sys

a, b = map(int, sys.stdin.readline().split())
if (a, b) == (1, 2):
    raise MemoryError("fake")
print(a + b)
