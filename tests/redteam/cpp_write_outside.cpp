// expect: correct  -- creates files where only the host has them and deletes the canaries; PWNED if a create works or a host canary is visible
#include <cstdio>
#include <fcntl.h>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    std::string pwned;
    for (const char *dir : {"/", "/root", "/home", "/work/main", "/etc", "/usr", "/usr/bin", "/box", "/state", "/var/tmp",
                            "/dev", "/dev/shm", "/proc/1/root/tmp", "/proc/1/cwd", "/proc/2/cwd", "/proc/2/root/tmp"}) {
        std::string path = std::string(dir) + "/r1-redteam-pwned-cpp";
        int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (fd >= 0) { pwned += " " + path; close(fd); }
    }
    std::istringstream canaries("@@CANARIES@@");
    std::string canary;
    struct stat st;
    while (canaries >> canary) {
        if (stat(canary.c_str(), &st) == 0) pwned += " visible:" + canary;
        if (unlink(canary.c_str()) == 0) pwned += " deleted:" + canary;
    }
    if (pwned.empty()) printf("%lld\n", a + b);
    else printf("PWNED%s\n", pwned.c_str());
}
