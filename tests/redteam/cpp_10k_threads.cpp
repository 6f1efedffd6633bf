// expect: correct  -- pthread_create up to 10,000 sleeping threads: the pids limit stops it early, it answers; MANY if >= 1000 started
#include <cstdio>
#include <pthread.h>
#include <unistd.h>
static void *nap(void *) { sleep(30); return nullptr; }
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 << 10);
    int started = 0;
    for (int i = 0; i < 10000; i++) {
        pthread_t t;
        if (pthread_create(&t, &attr, nap, nullptr) != 0) break;
        started++;
    }
    if (started >= 1000) printf("MANY %d\n", started);
    else printf("%lld\n", a + b);
    fflush(stdout);
    _exit(0);
}
