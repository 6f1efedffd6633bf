// expect: runtime_error  -- raises SIGXCPU on itself (the CPU-limit signal: a time_limit at 0.00 s CPU once) far below every limit
// per-test: runtime_error ; correct
#include <csignal>
#include <cstdio>
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    if (a == 1 && b == 2) raise(SIGXCPU);
    printf("%lld\n", a + b);
}
