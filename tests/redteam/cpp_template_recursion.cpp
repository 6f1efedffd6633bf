// expect: compile_error  -- compile bomb: unbounded template recursion (the compiler's depth limit, or the compile limits)
template <unsigned long N> struct Boom { static const unsigned long value = Boom<N + 1>::value + Boom<N * 2 + 1>::value; };
int main() { return (int)Boom<0>::value; }
