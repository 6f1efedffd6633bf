# expect: output_limit  -- writes to stdout forever (RLIMIT_FSIZE = the output limit)
# per-test: output_limit ; correct  -- test 2 gets fresh output files
import sys

a, b = map(int, sys.stdin.readline().split())
if (a, b) == (1, 2):
    block = "x" * (1 << 16)
    while True:
        sys.stdout.write(block)
print(a + b)
