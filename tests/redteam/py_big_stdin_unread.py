# expect: correct  -- test 1 has 30 MB of input after "1 2": reads one line, answers, exits without reading the rest (stdin is a file, not a pipe that could block the judge)
# problem: bigstdin
import sys

a, b = map(int, sys.stdin.readline().split())
print(a + b)
