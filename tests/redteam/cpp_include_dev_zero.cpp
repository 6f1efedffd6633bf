// expect: compile_error  -- compile bomb: #include "/dev/zero" never ends; the compile limits (memory, time) stop it
#include "/dev/zero"
int main() {}
