// expect: correct  -- a control: touches 200 MB under a 256 MB limit and answers (the limit is the program's, not less)
// per-test: correct ; correct
// problem: ab256
#include <cstdio>
#include <cstdlib>
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    const size_t n = (size_t)200 << 20;
    volatile char *p = (volatile char *)malloc(n);
    if (!p) return 3;
    for (size_t i = 0; i < n; i += 4096) p[i] = 1;
    printf("%lld\n", a + b + p[n - 4096] - 1);
}
