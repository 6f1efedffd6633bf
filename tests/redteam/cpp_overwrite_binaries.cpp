// expect: correct  -- opens its own binary, the compiler, the shell and the harness for writing and mmaps them shared+writable; test 2 needs them intact
// per-test: correct ; correct
#include <cstdio>
#include <fcntl.h>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    std::string pwned;
    for (const char *path : {"/state/program", "/proc/self/exe", "/usr/bin/g++", "/bin/sh", "/box/harness.py", "/box/program.cpp"}) {
        int fd = open(path, O_RDWR);
        if (fd < 0) fd = open(path, O_WRONLY);
        if (fd >= 0) { pwned += std::string(" open:") + path; close(fd); }
        fd = open(path, O_RDONLY);
        if (fd >= 0) {
            void *m = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
            if (m != MAP_FAILED) pwned += std::string(" mmap:") + path;
            close(fd);
        }
        if (chmod(path, 0777) == 0) pwned += std::string(" chmod:") + path;
    }
    if (pwned.empty()) printf("%lld\n", a + b);
    else printf("PWNED%s\n", pwned.c_str());
}
