// expect: wrong_format|wrong_answer  -- never reads, prints a bare guess and exits: the interactor finds no query
// problem: guess
#include <cstdio>
int main() { std::printf("42\n"); return 0; }
