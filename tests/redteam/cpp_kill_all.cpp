// expect: correct  -- kill(-1), kill(1), kill(parent) and SIGKILL/SIGSTOP to every pid up to 32768: may reach only itself; test 2 needs a live harness
// per-test: correct ; correct
#include <csignal>
#include <cstdio>
#include <unistd.h>
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    if (a == 1 && b == 2) {
        kill(-1, SIGSTOP);
        kill(-1, SIGKILL);
        kill(1, SIGKILL);
        kill(getppid(), SIGKILL);
        for (int pid = 1; pid <= 32768; pid++)
            if (pid != getpid()) { kill(pid, SIGSTOP); kill(pid, SIGKILL); }
    }
    printf("%lld\n", a + b);
}
