// expect: runtime_error  -- prints std::bad_alloc and MemoryError to stderr and exits 1 using almost no memory: a verdict comes from the cgroup, not from text
// per-test: runtime_error ; correct
#include <cstdio>
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    if (a == 1 && b == 2) {
        fputs("terminate called after throwing an instance of 'std::bad_alloc'\n  what():  std::bad_alloc\nMemoryError\n", stderr);
        return 1;
    }
    printf("%lld\n", a + b);
}
