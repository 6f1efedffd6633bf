// expect: runtime_error  -- raises SIGKILL on itself (the OOM killer's and the watchdog's signal) far below every limit
// per-test: runtime_error ; correct
#include <csignal>
#include <cstdio>
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    if (a == 1 && b == 2) raise(SIGKILL);
    printf("%lld\n", a + b);
}
