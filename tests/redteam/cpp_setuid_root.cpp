// expect: correct  -- setuid(0), setresuid, setgid, setgroups, and a user namespace that maps root and then tries to signal the harness; PWNED if root is gained outside
#include <csignal>
#include <cstdio>
#include <grp.h>
#include <sched.h>
#include <string>
#include <unistd.h>
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    std::string pwned;
    if (setuid(0) == 0) pwned += " setuid";
    if (setresuid(0, 0, 0) == 0) pwned += " setresuid";
    if (setgid(0) == 0) pwned += " setgid";
    gid_t zero = 0;
    if (setgroups(1, &zero) == 0) pwned += " setgroups";
    pid_t parent = getppid();
    if (unshare(CLONE_NEWUSER) == 0 && kill(parent, 0) == 0) pwned += " userns-signal";
    if (geteuid() == 0 && kill(parent, 0) == 0) pwned += " root";
    if (pwned.empty()) printf("%lld\n", a + b);
    else printf("PWNED%s\n", pwned.c_str());
}
