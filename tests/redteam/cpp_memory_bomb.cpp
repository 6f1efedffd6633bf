// expect: memory_limit  -- malloc + memset 16 MB blocks forever: the memory cgroup's OOM kill
// per-test: memory_limit ; correct
#include <cstdio>
#include <cstdlib>
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    if (a == 1 && b == 2)
        for (;;) {
            volatile char *p = (volatile char *)malloc(16 << 20);
            if (!p) return 3;
            for (int j = 0; j < (16 << 20); j += 4096) p[j] = 1;  // volatile: not optimised away
        }
    printf("%lld\n", a + b);
}
