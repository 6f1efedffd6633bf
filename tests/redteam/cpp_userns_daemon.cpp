// expect: correct  -- hides a daemon in new user + pid namespaces (where it is "root" and pid 1) holding an abstract socket; DAEMON if test 2 can still reach it
// per-test: correct ; correct
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <sched.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
static const char NAME[] = "\0r1rt-userns-daemon";
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    memcpy(addr.sun_path, NAME, sizeof NAME - 1);
    socklen_t len = offsetof(sockaddr_un, sun_path) + sizeof NAME - 1;
    if (a == 1 && b == 2) {
        int ready[2];
        if (pipe(ready) != 0) return 1;
        bool nested = unshare(CLONE_NEWUSER | CLONE_NEWPID) == 0;
        if (fork() == 0) {  // pid 1 of the new pid namespace when unshare worked
            setsid();
            int s = socket(AF_UNIX, SOCK_STREAM, 0);
            bind(s, (sockaddr *)&addr, len);
            listen(s, 1);
            if (write(ready[1], nested ? "n" : "p", 1) != 1) _exit(1);
            for (;;) pause();
        }
        char c;
        if (read(ready[0], &c, 1) != 1) return 1;
        printf("%lld\n", a + b);
        return 0;
    }
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    if (connect(s, (sockaddr *)&addr, len) == 0) printf("DAEMON alive\n");
    else printf("%lld\n", a + b);
}
