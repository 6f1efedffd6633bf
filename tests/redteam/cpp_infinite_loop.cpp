// expect: time_limit  -- a busy loop
int main() {
    volatile unsigned long long x = 0;
    for (;;) x++;
}
