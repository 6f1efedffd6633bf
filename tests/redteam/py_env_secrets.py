# expect: correct  -- looks for the judge's environment in its own: only PATH (and PWD, Python's LC_CTYPE) may be there
import os
import sys

a, b = map(int, sys.stdin.readline().split())
extra = {k: v for k, v in os.environ.items() if k not in ("PATH", "PWD", "LC_CTYPE") or "R1RT" in v}
print(f"LEAK {extra}" if extra else a + b)
