// expect: output_limit  -- fwrite forever: RLIMIT_FSIZE sends SIGXFSZ at the output limit
// per-test: output_limit ; correct
#include <cstdio>
#include <cstring>
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    if (a == 1 && b == 2) {
        static char block[1 << 16];
        memset(block, 'x', sizeof block);
        for (;;) fwrite(block, 1, sizeof block, stdout);
    }
    printf("%lld\n", a + b);
}
