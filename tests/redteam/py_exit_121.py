# expect: runtime_error  -- prints the answer, then exits with status 121, the status the harness once used for "could not start the test": must not become a judge_error
import sys

a, b = map(int, sys.stdin.readline().split())
print(a + b)
sys.stdout.flush()
sys.exit(121)
