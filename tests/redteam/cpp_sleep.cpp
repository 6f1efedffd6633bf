// expect: time_limit  -- sleeps 100 s: no CPU, only the wall watchdog ends it
#include <unistd.h>
int main() { sleep(100); }
