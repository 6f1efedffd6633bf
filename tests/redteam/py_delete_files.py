# expect: correct  -- deletes the harness, the interpreter, stdlib modules and the canaries, rmtree's /box and /state; test 2 proves the harness survived
# per-test: correct ; correct
import os
import shutil
import sys

a, b = map(int, sys.stdin.readline().split())
victims = ["/box/harness.py", sys.executable, os.path.realpath(sys.executable), os.__file__, shutil.__file__,
           "/usr/bin/g++", "/bin/sh", "/usr/bin/env", *"@@CANARIES@@".split()]
if (a, b) == (1, 2):
    for path in victims:
        try:
            os.unlink(path)
        except OSError:
            pass
    for tree in ("/box", "/state"):
        shutil.rmtree(tree, ignore_errors=True)
gone = [p for p in victims[:5] if not os.path.exists(p)]
print(f"DELETED {gone}" if gone else a + b)
