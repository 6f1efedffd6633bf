// expect: correct  -- environ, getenv, /etc/shadow, and /proc/*/environ of every pid; LEAK with anything foreign it could read
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
extern char **environ;
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    std::string leak;
    for (char **e = environ; *e; e++)
        if (strncmp(*e, "PATH=", 5) != 0) leak += std::string(" env:") + *e;
    for (const char *path : {"/etc/shadow", "/etc/passwd", "/root/.ssh/id_rsa", "/proc/1/root/etc/shadow"}) {
        std::ifstream f(path);
        if (f) leak += std::string(" read:") + path;
    }
    DIR *proc = opendir("/proc");
    while (dirent *e = readdir(proc)) {
        if (atoi(e->d_name) <= 0 || atoi(e->d_name) == getpid()) continue;
        std::ifstream f(std::string("/proc/") + e->d_name + "/environ");
        std::stringstream data;
        data << f.rdbuf();
        if (data.str().size()) leak += std::string(" environ:") + e->d_name + "=" + data.str().substr(0, 200);
    }
    if (leak.empty()) printf("%lld\n", a + b);
    else printf("LEAK%s\n", leak.c_str());
}
