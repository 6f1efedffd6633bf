// expect: runtime_error|memory_limit  -- unbounded recursion with a 4 KB frame: SIGSEGV at the stack limit, or its pages hit the memory cgroup first
#include <cstdio>
int down(int n) {
    volatile char frame[4096];
    frame[0] = (char)n;
    return down(n + 1) + frame[0];
}
int main() { printf("%d\n", down(0)); }
