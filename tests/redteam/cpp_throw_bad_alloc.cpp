// expect: runtime_error  -- throws std::bad_alloc itself at a few MB (uncaught: abort): no memory limit was reached
// per-test: runtime_error ; correct
#include <cstdio>
#include <new>
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    if (a == 1 && b == 2) throw std::bad_alloc();
    printf("%lld\n", a + b);
}
