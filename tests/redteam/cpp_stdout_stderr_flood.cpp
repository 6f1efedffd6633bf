// expect: output_limit  -- floods stdout and stderr in turn, ignoring SIGXFSZ and write errors
#include <csignal>
#include <cstring>
#include <unistd.h>
int main() {
    signal(SIGXFSZ, SIG_IGN);
    static char block[1 << 16];
    memset(block, 'y', sizeof block);
    for (long i = 0; i < 4000; i++) {
        if (write(1, block, sizeof block) < 0 && write(2, block, sizeof block) < 0) break;
        if (write(2, block, sizeof block) < 0 && write(1, block, sizeof block) < 0) break;
    }
    return 0;
}
