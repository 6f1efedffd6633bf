// expect: correct  -- test 1 adds keys to the user, session and process keyrings (they outlive the process, keyed by uid across boxes and judges); PERSISTED if test 2 finds one, FILTER if add_key is not refused with EPERM
// per-test: correct ; correct
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sys/syscall.h>
#include <unistd.h>
static long add_key(const char *type, const char *desc, const void *payload, size_t len, long ring) {
    return syscall(SYS_add_key, type, desc, payload, len, ring);
}
static long find_key(const char *desc, long ring) {  // KEYCTL_SEARCH = 10
    return syscall(SYS_keyctl, 10L, ring, "user", desc, 0L);
}
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    const long rings[] = {-4 /* user */, -5 /* user session */, -3 /* session */, -2 /* process */};
    if (a == 1 && b == 2) {
        for (long ring : rings) {
            errno = 0;
            long id = add_key("user", "r1rt-keyring", "R1RT-secret", 11, ring);
            if (id >= 0 || errno != EPERM) { printf("FILTER add_key to %ld: %ld (%s)\n", ring, id, strerror(errno)); return 0; }
        }
        printf("%lld\n", a + b);
        return 0;
    }
    for (long ring : rings) {
        long id = find_key("r1rt-keyring", ring);
        if (id >= 0) { printf("PERSISTED key %ld in %ld\n", id, ring); return 0; }
    }
    printf("%lld\n", a + b);
}
