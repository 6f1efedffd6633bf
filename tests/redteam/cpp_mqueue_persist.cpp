// expect: correct  -- test 1 creates a POSIX message queue and leaves it; PERSISTED if test 2 can open it (tests must not share state)
// per-test: correct ; correct
#include <cstdio>
#include <fcntl.h>
#include <mqueue.h>
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    if (a == 1 && b == 2) {
        mq_open("/r1rt-queue", O_CREAT | O_RDWR, 0600, nullptr);
        printf("%lld\n", a + b);
        return 0;
    }
    if (mq_open("/r1rt-queue", O_RDWR) != (mqd_t)-1) printf("PERSISTED\n");
    else printf("%lld\n", a + b);
}
