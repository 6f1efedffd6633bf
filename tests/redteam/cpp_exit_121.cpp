// expect: runtime_error  -- answers, then returns 121 (the status the harness once used for "could not start the test"): must not become a judge_error
#include <cstdio>
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    printf("%lld\n", a + b);
    return 121;
}
