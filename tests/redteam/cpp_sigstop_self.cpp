// expect: time_limit  -- raise(SIGSTOP): the wall watchdog must still kill a stopped process
// per-test: time_limit ; correct
#include <csignal>
#include <cstdio>
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    if (a == 1 && b == 2) raise(SIGSTOP);
    printf("%lld\n", a + b);
}
