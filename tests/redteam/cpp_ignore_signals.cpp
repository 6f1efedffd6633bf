// expect: time_limit  -- ignores SIGTERM, SIGXCPU, SIGINT, SIGHUP, SIGALRM and spins: only SIGKILL ends it
#include <csignal>
#include <initializer_list>
int main() {
    for (int s : {SIGTERM, SIGXCPU, SIGINT, SIGHUP, SIGALRM, SIGUSR1, SIGVTALRM, SIGPROF}) signal(s, SIG_IGN);
    volatile unsigned long long x = 0;
    for (;;) x++;
}
