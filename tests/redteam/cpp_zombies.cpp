// expect: correct  -- 20 zombies and 10 orphans sleeping forever; LEFT if test 2 sees any process of its uid
// per-test: correct ; correct
#include <cstdio>
#include <cstdlib>
#include <dirent.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    if (a == 1 && b == 2) {
        for (int i = 0; i < 20; i++) if (fork() == 0) _exit(0);
        for (int i = 0; i < 10; i++)
            if (fork() == 0) { if (fork() == 0) sleep(1000); _exit(0); }
        printf("%lld\n", a + b);
        return 0;
    }
    std::string left;
    DIR *proc = opendir("/proc");
    while (dirent *e = readdir(proc)) {
        int pid = atoi(e->d_name);
        struct stat st;
        if (pid > 0 && pid != getpid() && stat((std::string("/proc/") + e->d_name).c_str(), &st) == 0 && st.st_uid == getuid())
            left += std::string(" ") + e->d_name;
    }
    if (left.empty()) printf("%lld\n", a + b);
    else printf("LEFT%s\n", left.c_str());
}
