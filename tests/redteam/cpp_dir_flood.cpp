// expect: correct|memory_limit  -- test 1 spends most of its second making directories in /tmp: one chain as deep as it gets (255-byte names, each level entered with chdir) and one directory with as many subdirectories as it can; the cleanup must finish (linear, as the tests' uid) and test 2 must find /tmp empty (the directories' kernel memory is charged to the box, so on a fast machine the flood may honestly reach the 128 MB limit first)
// per-test: correct|memory_limit ; correct
#include <chrono>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    if (a == 1 && b == 2) {
        auto start = std::chrono::steady_clock::now();
        auto spent = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
        std::string name(255, 'x');
        if (chdir("/tmp") != 0 || mkdir("wide", 0755) != 0) return 1;
        char wide[64];
        for (long i = 0; spent() < 0.35; i++) {
            snprintf(wide, sizeof wide, "wide/%ld", i);
            if (mkdir(wide, 0755) != 0) break;
        }
        long depth = 0;
        while (spent() < 0.7 && mkdir(name.c_str(), 0755) == 0 && chdir(name.c_str()) == 0) depth++;
        fprintf(stderr, "depth %ld\n", depth);
        printf("%lld\n", a + b);
        return 0;
    }
    DIR *d = opendir("/tmp");
    int left = 0;
    for (dirent *e; d && (e = readdir(d));) left += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    if (left) printf("PERSISTED %d entries in /tmp\n", left);
    else printf("%lld\n", a + b);
}
