# expect: runtime_error  -- closes fd 1 and then prints: the answer cannot arrive, Python's final flush fails (EBADF)
import os

a, b = map(int, input().split())
os.close(1)
print(a + b)
