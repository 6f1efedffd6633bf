# expect: correct  -- appends to / renames over / chmods the interpreter, the harness and stdlib modules; test 2 needs them intact
# per-test: correct ; correct
import json
import os
import sys

a, b = map(int, sys.stdin.readline().split())
targets = [sys.executable, os.path.realpath(sys.executable), "/box/harness.py", os.__file__, json.__file__]
pwned = []
if (a, b) == (1, 2):
    with open("/work/evil.py", "w") as f:
        f.write("raise SystemExit('pwned')\n")
    for path in targets:
        try:
            with open(path, "ab") as f:
                f.write(b"\nraise SystemExit('pwned')\n")
            pwned.append(f"append {path}")
        except OSError:
            pass
        try:
            os.chmod(path, 0o777)
            pwned.append(f"chmod {path}")
        except OSError:
            pass
        try:
            os.replace("/work/evil.py", path)
            pwned.append(f"replace {path}")
        except OSError:
            pass
print(f"PWNED {pwned}" if pwned else a + b)
