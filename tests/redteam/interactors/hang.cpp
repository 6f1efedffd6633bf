// An interactor that hangs: it sends n, then sleeps without reading or answering. The solution waits
// for an answer; a judge must call this its own failure (judge_error), never the solution's.
#include "testlib.h"
#include <iostream>
#include <unistd.h>

int main(int argc, char* argv[]) {
    registerInteraction(argc, argv);
    std::cout << inf.readInt() << std::endl;
    for (;;) sleep(1000);
}
