# expect: correct  -- a control: touches 200 MB under a 256 MB limit and answers (the limit is the program's, not less)
# per-test: correct ; correct
# problem: ab256
import sys

a, b = map(int, sys.stdin.readline().split())
block = bytearray(200 << 20)
block[::4096] = b"\1" * len(block[::4096])
print(a + b + block[-4096] - 1)
