# expect: runtime_error|memory_limit  -- unbounded recursion through C (map -> f), recursion limit lifted: the C stack overflows (SIGSEGV) or the stack's pages hit the memory cgroup; either is an honest verdict
import sys

sys.setrecursionlimit(1 << 30)


def f(x):
    return list(map(f, [x + 1]))


f(0)
