// expect: compile_error  -- the compiler looks for host files: if it sees the home canary or /etc/shadow, the program compiles and prints LEAK; else it #includes the judge-temp-dir canary, which must be a missing-file compile_error (a visible one would quote its secret in the error)
#if __has_include("@@CANARY_HOME@@") || __has_include("/etc/shadow") || __has_include("/etc/passwd")
#include <cstdio>
int main() { puts("LEAK: the compiler sees host files"); }
#else
#include "@@CANARY_TMP@@"
int main() {}
#endif
