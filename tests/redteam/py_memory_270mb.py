# expect: memory_limit  -- touches 270 MB under a 256 MB limit (the judge once allowed 48 MB more for its harness)
# per-test: memory_limit ; memory_limit
# problem: ab256
import sys

a, b = map(int, sys.stdin.readline().split())
block = bytearray(270 << 20)
block[::4096] = b"\1" * len(block[::4096])  # every page touched: resident, not just reserved
print(a + b)
