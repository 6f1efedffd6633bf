// expect: runtime_error  -- raises SIGXFSZ on itself (the file-size-limit signal: an output_limit with no output once) far below every limit
// per-test: runtime_error ; correct
#include <csignal>
#include <cstdio>
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    if (a == 1 && b == 2) raise(SIGXFSZ);
    printf("%lld\n", a + b);
}
