// expect: correct  -- legitimate: a 10^6-deep recursion (~64 MB of stack) must not crash; the stack may grow to the memory limit
#include <cstdio>
long long depth(int n) {
    volatile char pad[32];
    pad[0] = (char)n;
    if (n == 0) return 0;
    return depth(n - 1) + 1 + (pad[0] & 0);
}
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    long long d = depth(1000000);
    if (d == 1000000) printf("%lld\n", a + b);
    else printf("depth %lld\n", d);
}
