// expect: wrong_answer  -- printf into stdio's buffer, then _exit(0): nothing reaches stdout
#include <cstdio>
#include <unistd.h>
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    printf("%lld\n", a + b);
    _exit(0);
}
