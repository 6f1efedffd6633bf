// expect: compile_error  -- #include "/proc/1/environ": the compiler must not read pid 1's environment (its messages would quote it)
#include "/proc/1/environ"
int main() {}
