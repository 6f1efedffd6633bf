// expect: memory_limit  -- 12 forked children touch 24 MB each: each is small, the tree is over 128 MB
// per-test: memory_limit ; correct
#include <cstdio>
#include <cstdlib>
#include <sys/wait.h>
#include <unistd.h>
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    if (a == 1 && b == 2) {
        for (int i = 0; i < 12; i++)
            if (fork() == 0) {
                volatile char *p = (volatile char *)malloc(24 << 20);
                for (int j = 0; j < (24 << 20); j += 4096) p[j] = 1;  // volatile: not optimised away
                sleep(1);
                _exit(0);
            }
        while (wait(nullptr) > 0) {}
    }
    printf("%lld\n", a + b);
}
