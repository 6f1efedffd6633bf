// expect: correct  -- compiled with the shared precompiled bits/stdc++.h, it tries to overwrite, mmap, truncate, chmod, rename and unlink every file under /pch and to create new ones; test 2 (compiled before, judged after) needs them intact
// per-test: correct ; correct
#include <bits/stdc++.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
std::string pwned;
void attack(const std::string &dir) {
    if (mkdir((dir + "/r1-redteam-pwned").c_str(), 0777) == 0) pwned += " mkdir:" + dir;
    int made = open((dir + "/r1-redteam-pwned.gch").c_str(), O_CREAT | O_WRONLY, 0666);
    if (made >= 0) { pwned += " create:" + dir; close(made); }
    DIR *d = opendir(dir.c_str());
    if (!d) return;
    std::vector<std::string> names;
    while (dirent *e = readdir(d)) if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) names.push_back(e->d_name);
    closedir(d);
    for (const auto &name : names) {
        std::string path = dir + "/" + name;
        struct stat st;
        if (lstat(path.c_str(), &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) { attack(path); continue; }
        int fd = open(path.c_str(), O_RDWR);
        if (fd < 0) fd = open(path.c_str(), O_WRONLY | O_APPEND);
        if (fd >= 0) { pwned += " open:" + path; close(fd); }
        fd = open(path.c_str(), O_RDONLY);
        if (fd >= 0) {
            void *m = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
            if (m != MAP_FAILED) pwned += " mmap:" + path;
            close(fd);
        }
        if (truncate(path.c_str(), 0) == 0) pwned += " truncate:" + path;
        if (chmod(path.c_str(), 0777) == 0) pwned += " chmod:" + path;
        if (rename(path.c_str(), (path + ".x").c_str()) == 0) pwned += " rename:" + path;
        if (unlink(path.c_str()) == 0) pwned += " unlink:" + path;
    }
}
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    attack("/pch");
    if (pwned.empty()) printf("%lld\n", a + b);
    else printf("PWNED%s\n", pwned.c_str());
}
