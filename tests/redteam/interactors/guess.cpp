// Guess the number (our own interactor, testlib style): the test input holds n and the hidden x
// (1 <= x <= n); the solution is sent n, asks "? y" (answered "<", ">" or "=") at most 30 times,
// and stops after "=".
#include "testlib.h"
#include <iostream>

int main(int argc, char* argv[]) {
    registerInteraction(argc, argv);
    int n = inf.readInt(), x = inf.readInt();
    std::cout << n << std::endl;
    for (int asked = 1; asked <= 30; asked++) {
        std::string what = ouf.readToken("[?]");
        int y = ouf.readInt(1, n, "y");
        if (y == x) {
            std::cout << "=" << std::endl;
            tout << asked << std::endl;
            quitf(_ok, "found %d in %d questions", x, asked);
        }
        std::cout << (y < x ? ">" : "<") << std::endl;
    }
    quitf(_wa, "did not find the number in 30 questions");
}
