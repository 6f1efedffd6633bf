// expect: wrong_answer  -- close(1), then prints and exits 0: stdio's write fails silently, the answer never arrives
#include <cstdio>
#include <unistd.h>
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    close(1);
    printf("%lld\n", a + b);
    return 0;
}
