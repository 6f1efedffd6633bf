// expect: correct  -- asks for what the seccomp filter denies: new user/net namespaces (unshare, clone), mount, ptrace, bpf, io_uring, userfaultfd, perf_event_open, personality changes, keyctl through the i386 (int 0x80) and x32 ABIs; ALLOWED if one works or is not EPERM (clone3: ENOSYS), BROKEN if threads, fork+exec or the personality query fail
// per-test: correct ; correct
#include <cerrno>
#include <cstdio>
#include <sched.h>
#include <string>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
static std::string bad;
static void expect(const char *what, long r, int want) {
    if (r >= 0 || errno != want) bad += std::string(" ") + what + "=" + std::to_string(r) + "/" + std::to_string(errno);
}
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    errno = 0; expect("unshare(NEWUSER)", syscall(SYS_unshare, CLONE_NEWUSER), EPERM);
    errno = 0; expect("unshare(NEWNET)", syscall(SYS_unshare, CLONE_NEWNET), EPERM);
    errno = 0; long c = syscall(SYS_clone, (long)(CLONE_NEWUSER | SIGCHLD), 0L, 0L, 0L, 0L);
    if (c == 0) _exit(0);
    if (c > 0) waitpid(c, nullptr, 0);
    expect("clone(NEWUSER)", c, EPERM);
    errno = 0; expect("clone3", syscall(435, 0L, 0L), ENOSYS);
    errno = 0; expect("mount", syscall(SYS_mount, "none", "/tmp", "tmpfs", 0L, 0L), EPERM);
    errno = 0; expect("ptrace(TRACEME)", syscall(SYS_ptrace, 0L, 0L, 0L, 0L), EPERM);
    errno = 0; expect("bpf", syscall(SYS_bpf, 0L, 0L, 0L), EPERM);
    errno = 0; expect("io_uring_setup", syscall(425, 1L, 0L), EPERM);
    errno = 0; expect("userfaultfd", syscall(SYS_userfaultfd, 0L), EPERM);
    errno = 0; expect("perf_event_open", syscall(SYS_perf_event_open, 0L, 0L, -1L, -1L, 0L), EPERM);
    errno = 0; expect("personality(ADDR_NO_RANDOMIZE)", syscall(SYS_personality, 0x0040000L), EPERM);
    errno = 0; expect("personality(high bits)", syscall(SYS_personality, 0x100040000L), EPERM);
    errno = 0; expect("keyctl", syscall(SYS_keyctl, 0L, -3L), EPERM);
    long r;  // i386 keyctl(KEYCTL_GET_KEYRING_ID, session) through int 0x80
    asm volatile("int $0x80" : "=a"(r) : "a"(288L), "b"(0L), "c"(-3L) : "memory");
    if (r >= 0 || (r != -EPERM && r != -ENOSYS)) bad += " int80-keyctl=" + std::to_string(r);
    errno = 0; long x = syscall(0x40000000L | 250L, 0L, -3L);
    if (x >= 0) bad += " x32-keyctl=" + std::to_string(x);
    // what honest programs need still works
    std::string broken;
    if (syscall(SYS_personality, 0xffffffffL) < 0) broken += " personality-query";
    int sum = 0;
    std::thread t([&] { sum = 1; });
    t.join();
    if (sum != 1) broken += " thread";
    pid_t pid = fork();
    if (pid == 0) { execl("/bin/true", "true", (char *)nullptr); _exit(9); }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) broken += " fork+exec";
    if (!bad.empty()) printf("ALLOWED%s\n", bad.c_str());
    else if (!broken.empty()) printf("BROKEN%s\n", broken.c_str());
    else printf("%lld\n", a + b);
}
