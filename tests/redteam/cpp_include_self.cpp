// expect: compile_error  -- compile bomb: the file includes itself without end (nested include depth)
#include __FILE__
int main() {}
