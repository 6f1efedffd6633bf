// expect: time_limit|runtime_error|memory_limit  -- fork() forever on test 1: pids cgroup + RLIMIT_NPROC cap it, wall/CPU ends it
// per-test: time_limit|runtime_error|memory_limit ; correct  -- test 2 can start only if every bomb process was killed
#include <cstdio>
#include <unistd.h>
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    if (a == 1 && b == 2)
        for (;;) fork();
    printf("%lld\n", a + b);
}
