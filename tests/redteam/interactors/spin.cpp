// An interactor that hangs busy: it sends n, then loops forever; past its own CPU limit it is a
// judge_error, never the solution's fault.
#include "testlib.h"
#include <iostream>

int main(int argc, char* argv[]) {
    registerInteraction(argc, argv);
    std::cout << inf.readInt() << std::endl;
    volatile unsigned long spin = 0;
    for (;;) spin++;
}
