// expect: correct  -- ptrace attach/seize of the harness and pid 1, process_vm_writev into the harness, /proc/<harness>/mem for writing; PWNED if any works
#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <string>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <unistd.h>
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    std::string pwned;
    pid_t parent = getppid();
    for (pid_t pid : {parent, (pid_t)1}) {
        if (ptrace(PTRACE_ATTACH, pid, nullptr, nullptr) == 0) pwned += " attach:" + std::to_string(pid);
        if (ptrace(PTRACE_SEIZE, pid, nullptr, nullptr) == 0) pwned += " seize:" + std::to_string(pid);
        std::string mem = "/proc/" + std::to_string(pid) + "/mem";
        int fd = open(mem.c_str(), O_RDWR);
        if (fd >= 0) { pwned += " " + mem; close(fd); }
    }
    char byte = 0;
    struct iovec local = {&byte, 1}, remote = {(void *)0x400000, 1};
    errno = 0;
    if (process_vm_writev(parent, &local, 1, &remote, 1, 0) >= 0 || errno == EFAULT)  // EFAULT: allowed, bad address
        pwned += " process_vm_writev";
    if (pwned.empty()) printf("%lld\n", a + b);
    else printf("PWNED%s\n", pwned.c_str());
}
