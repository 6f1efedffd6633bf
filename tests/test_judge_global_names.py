"""The harness runs Python programs compiled as a function with every module-level name ``global``
(``harness.with_global_names``: LOAD_GLOBAL, cached, instead of module code's uncached LOAD_NAME).
These tests show it changes nothing a program can see: each program runs both ways, each in a fork
through the harness's own ``_python_main`` (the path of every judged test), and stdout, stderr
(tracebacks included) and the exit status must be byte-identical. Programs whose behaviour would
differ are not transformed; the negative controls show they really would differ if they were.
"""
from __future__ import annotations

import ast
import dis
import os
import tempfile

import pytest

from evals.judge import harness

SAME = {  # name -> (program, stdin): transformed, and must behave exactly as module code
    "loops at module level": ("a = input().strip()\nb = input().strip()\nprev = list(range(len(b) + 1))\n"
                              "for i, x in enumerate(a, 1):\n    cur = [i] + [0] * len(b)\n"
                              "    for j, y in enumerate(b, 1):\n"
                              "        cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y))\n"
                              "    prev = cur\nprint(prev[-1])\n", "kitten\nsitting\n"),
    "a builtin read, then shadowed": ("print(input())\ninput = lambda: 'shadow'\nprint(input())\n", "a\nb\n"),
    "the prelude's name shadowed": ("print(gcd(4, 6))\ngcd = max\nprint(gcd(4, 6))\n", ""),
    "read before assignment": ("print(x)\nx = 1\n", ""),
    "deleted, then read": ("x = 1\ndel x\nprint(x)\n", ""),
    "a function reading a later global": ("def f():\n    return y\ny = 5\nprint(f())\n", ""),
    "a function's global statement": ("c = 0\ndef inc():\n    global c\n    c += 1\ninc()\ninc()\nprint(c)\n", ""),
    "a global statement at module level": ("global q\nq = 3\nprint(q)\n", ""),
    "qualified names": ("class A:\n    class B:\n        pass\ndef f():\n    def g():\n        pass\n    return g\n"
                        "print(A.__qualname__, A.B.__qualname__, f.__qualname__, f().__qualname__, A.__module__)\n"
                        "print(repr(A).split(' at ')[0], f.__code__.co_name)\n", ""),
    "walrus in a comprehension": ("[y := i * i for i in range(4)]\nprint(y)\n", ""),
    "except-as name unbound after": ("try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    print(type(e).__name__)\n"
                                     "print(e)\n", ""),
    "a traceback from a nested call": ("def f(n):\n    return g(n)\ndef g(n):\n    return [1][n]\n\nprint(f(0))\n"
                                       "print(f(1))\n", ""),
    "recursion depth": ("import sys\nsys.setrecursionlimit(60)\ndef f(n):\n    return f(n + 1)\nf(0)\n", ""),
    "a main guard": ("def main():\n    print(sum(map(int, input().split())))\nif __name__ == '__main__':\n    main()\n",
                     "1 2 3\n"),
    "globals()": ("x = 1\nprint(sorted(k for k in globals() if not k.startswith('_'))[-3:], globals()['x'])\n", ""),
    "a module docstring": ('"""doc of the program"""\nprint(__doc__)\n', ""),
    "sys.exit with a status": ("import sys\nprint('out')\nsys.exit(3)\n", ""),
    "a thread at module level": ("import threading\nr = []\nt = threading.Thread(target=lambda: r.append(len(r)))\n"
                                 "t.start()\nt.join()\nprint(r)\n", ""),
    "pickling a function": ("import pickle\ndef f():\n    pass\ntry:\n    pickle.dumps(f)\n    print('pickled')\n"
                            "except Exception as exc:\n    print(type(exc).__name__)\n", ""),
    "a class body reading globals": ("k = 2\nclass C:\n    v = k * 3\n    w = [v + i for i in range(2)]\n"
                                     "print(C.v)\n", ""),
    "import as, and submodules": ("import os.path as p\nimport collections.abc\nprint(p.sep, collections.abc.Sized.__name__)\n",
                                  ""),
    "a LeetCode class": ("class Solution:\n    def twoSum(self, nums: List[int], t: int) -> List[int]:\n"
                         "        return [0, 1]\nprint(Solution().twoSum([1, 2], 3))\n", ""),
}

# name -> (program, stdin, control): run as module code. control: "differs" (the function form really
# behaves differently), "no function form" (it does not compile), or "conservative": same on 3.11, where
# exec gives the function's frame the globals as its locals, but PEP 667 (3.13) makes locals() of a
# function frame a snapshot, so these stay module code.
KEPT = {
    "locals()": ("x = 1\nprint('x' in locals())\n", "", "conservative"),
    "exec of a string": ("exec('y = 1')\nprint(y)\n", "", "conservative"),
    "dir()": ("z = 1\nprint('z' in dir())\n", "", "conservative"),
    "vars()": ("z = 1\nprint('z' in vars())\n", "", "conservative"),
    "eval": ("x = 2\nprint(eval('x * 3'))\n", "", "conservative"),
    "inspect": ("import inspect\nx = 1\nprint('x' in inspect.currentframe().f_locals)\n", "", "conservative"),
    "a frame's code": ("import sys\nprint(sys._getframe().f_code.co_flags & 1)\n", "", "differs"),
    "a frame by getattr": ("import sys\nprint(getattr(sys, '_getframe')().f_code.co_flags & 1)\n", "", "differs"),
    "a traceback's frame": ("import sys\ntry:\n    1 / 0\nexcept Exception as e:\n"
                            "    print(e.__traceback__.tb_frame.f_code.co_flags & 1)\n", "", "differs"),
    "a star import": ("from math import *\nprint(floor(2.5))\n", "", "no function form"),
    "an annotated name": ("x: int = 3\nprint(__annotations__)\n", "", "no function form"),
    "a __future__ import": ("from __future__ import annotations\nprint(1)\n", "", "no function form"),
}


def _run(code, stdin: str) -> tuple[int, bytes, bytes]:
    """Run ``code`` as the harness runs a test (``_python_main`` in a fork); (status, stdout, stderr)."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = [os.path.join(tmp, name) for name in ("in", "out", "err")]
        with open(paths[0], "w") as f:
            f.write(stdin)
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            status = 1
            try:
                for target, (path, flags) in enumerate(zip(paths, (os.O_RDONLY, os.O_WRONLY | os.O_CREAT,
                                                                   os.O_WRONLY | os.O_CREAT))):
                    os.dup2(os.open(path, flags, 0o600), target)
                harness._code = code
                status = harness._python_main({"mode": "python", "argv": ["solution.py"]})
            finally:
                os._exit(status)
        _, status = os.waitpid(pid, 0)
        with open(paths[1], "rb") as out, open(paths[2], "rb") as err:
            return os.waitstatus_to_exitcode(status), out.read(), err.read()


def _module(source: str):
    return compile(source, "solution.py", "exec")


@pytest.mark.parametrize("name", sorted(SAME))
def test_the_function_form_behaves_exactly_as_module_code(name):
    source, stdin = SAME[name]
    fast = harness.with_global_names(source)
    assert fast is not None, "this program should get the function form"
    assert fast.co_name == "<module>"
    ops = {i.opname for i in dis.get_instructions(fast)}
    assert "LOAD_NAME" not in ops and "STORE_NAME" not in ops
    assert _run(fast, stdin) == _run(_module(source), stdin)


@pytest.mark.parametrize("name", sorted(KEPT))
def test_programs_that_could_tell_the_difference_stay_module_code(name):
    source, stdin, control = KEPT[name]
    assert harness.with_global_names(source) is None
    forced = harness.as_global_function(ast.parse(source), source)
    if control == "no function form":
        assert forced is None
    elif control == "differs":  # negative control: the check is what keeps these programs' behaviour
        assert _run(forced, stdin) != _run(_module(source), stdin)


def test_programs_that_do_not_compile_keep_their_compile_error(tmp_path):
    # the verdict comes from compiling the program as written: a module-level return or yield
    # would compile inside a function, so the function form must never be asked first
    for source in ("return 1\n", "yield 2\n", "x = (\n"):
        path = tmp_path / "program.py"
        path.write_text(source)
        assert harness._compile(str(path))["error"], source
    path.write_text("print(1)\n")
    assert harness._compile(str(path)) == {"error": None} and harness._code.co_name == "<module>"
