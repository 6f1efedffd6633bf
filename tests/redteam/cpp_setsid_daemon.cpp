// expect: correct  -- double-forked setsid daemon with an abstract socket that writes LATE to stdout after the test; DAEMON if test 2 reaches it
// per-test: correct ; correct
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
static sockaddr_un address() {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    memcpy(addr.sun_path, "\0r1rt-cpp-daemon", 16);
    return addr;
}
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    sockaddr_un addr = address();
    socklen_t len = offsetof(sockaddr_un, sun_path) + 16;
    if (a == 1 && b == 2) {
        int ready[2];
        if (pipe(ready) != 0) return 1;
        if (fork() == 0) {
            setsid();
            if (fork() == 0) {
                int s = socket(AF_UNIX, SOCK_STREAM, 0);
                bind(s, (sockaddr *)&addr, len);
                listen(s, 1);
                if (write(ready[1], "!", 1) != 1) _exit(1);
                usleep(300000);
                for (int i = 0; i < 2000; i++) { if (write(1, "LATE\n", 5) < 0) break; usleep(5000); }
            }
            _exit(0);
        }
        char c;
        if (read(ready[0], &c, 1) != 1) return 1;
        printf("%lld\n", a + b);
    } else {
        int s = socket(AF_UNIX, SOCK_STREAM, 0);
        if (connect(s, (sockaddr *)&addr, len) == 0) printf("DAEMON alive\n");
        else printf("%lld\n", a + b);
    }
}
