// An interactor that floods its tout (the log a Polygon checker reads): it sends n, takes the first
// question, then writes to tout forever. Past the output limit it is stopped and the test is a
// judge_error, never the solution's fault; the flood never fills the judge's disk.
#include "testlib.h"
#include <iostream>
#include <string>

int main(int argc, char* argv[]) {
    registerInteraction(argc, argv);
    std::cout << inf.readInt() << std::endl;
    ouf.readToken();
    ouf.readInt();
    const std::string line(4096, 'x');
    for (;;) tout << line << '\n';
}
