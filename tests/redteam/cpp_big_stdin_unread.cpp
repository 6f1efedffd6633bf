// expect: correct  -- test 1 carries 30 MB after "1 2": reads two numbers, answers, never reads the rest
// problem: bigstdin
#include <cstdio>
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    printf("%lld\n", a + b);
}
