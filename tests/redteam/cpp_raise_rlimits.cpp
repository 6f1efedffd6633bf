// expect: correct  -- raises its hard rlimits and prlimit()s the harness and pid 1; PWNED if any works
#include <cstdio>
#include <string>
#include <sys/resource.h>
#include <unistd.h>
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    std::string pwned;
    for (int r : {RLIMIT_CPU, RLIMIT_FSIZE, RLIMIT_NPROC, RLIMIT_NOFILE, RLIMIT_CORE}) {
        struct rlimit lim;
        getrlimit(r, &lim);
        if (lim.rlim_max == RLIM_INFINITY) { pwned += " unlimited:" + std::to_string(r); continue; }
        struct rlimit more = {lim.rlim_max + 1, lim.rlim_max + 1};
        if (setrlimit(r, &more) == 0) pwned += " raised:" + std::to_string(r);
    }
    struct rlimit four = {4, 4};
    for (pid_t pid : {getppid(), (pid_t)1})
        if (prlimit(pid, RLIMIT_NOFILE, &four, nullptr) == 0) pwned += " prlimit:" + std::to_string(pid);
    if (pwned.empty()) printf("%lld\n", a + b);
    else printf("PWNED%s\n", pwned.c_str());
}
