// expect: memory_limit  -- touches 270 MB under a 256 MB limit (the judge once allowed 48 MB more for its harness)
// per-test: memory_limit ; memory_limit
// problem: ab256
#include <cstdio>
#include <cstdlib>
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    const size_t n = (size_t)270 << 20;
    volatile char *p = (volatile char *)malloc(n);  // volatile: the compiler may not elide the pages
    if (!p) return 3;
    for (size_t i = 0; i < n; i += 4096) p[i] = 1;
    printf("%lld\n", a + b + p[n - 4096] - 1);
}
