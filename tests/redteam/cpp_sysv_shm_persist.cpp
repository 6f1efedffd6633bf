// expect: correct  -- test 1 leaves a 96 MB SysV shared memory segment (and a message queue, a semaphore) behind; PERSISTED if test 2 finds them (they would also eat its memory)
// per-test: correct ; correct
#include <cstdio>
#include <cstring>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
const key_t KEY = 0x52315254;
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    if (a == 1 && b == 2) {
        int id = shmget(KEY, 96 << 20, IPC_CREAT | 0600);
        if (id >= 0) {
            void *m = shmat(id, nullptr, 0);
            if (m != (void *)-1) { memset(m, 1, 96 << 20); shmdt(m); }
        }
        msgget(KEY, IPC_CREAT | 0600);
        semget(KEY, 1, IPC_CREAT | 0600);
        printf("%lld\n", a + b);
        return 0;
    }
    bool shm = shmget(KEY, 0, 0) >= 0, msg = msgget(KEY, 0) >= 0, sem = semget(KEY, 0, 0) >= 0;
    if (shm || msg || sem) printf("PERSISTED shm=%d msg=%d sem=%d\n", shm, msg, sem);
    else printf("%lld\n", a + b);
}
