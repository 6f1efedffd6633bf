// expect: wrong_answer  -- returns 0 at once: exit code 0 alone is never a pass
int main() { return 0; }
