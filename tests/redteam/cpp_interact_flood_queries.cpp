// expect: wrong_answer  -- floods the interactor with queries and never reads its answers: out of questions
// problem: guess
#include <cstdio>
int main() { for (;;) std::fputs("? 1\n", stdout); }
