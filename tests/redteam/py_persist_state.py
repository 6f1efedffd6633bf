# expect: correct  -- test 1 leaves files in /tmp, /work, /dev/shm, /state and its home; PERSISTED if test 2 finds any (tests must be independent)
# per-test: correct ; correct
import os
import sys

a, b = map(int, sys.stdin.readline().split())
places = ["/tmp", "/work", "/dev/shm", "/state", "/var/tmp", "/box"]
marker = "r1rt-state"
if (a, b) == (1, 2):
    for place in places:
        try:
            os.makedirs(f"{place}/{marker}-dir/inner", exist_ok=True)
            with open(f"{place}/{marker}-dir/inner/file", "w") as f:
                f.write("x")
            os.chmod(f"{place}/{marker}-dir/inner", 0o1777)
            os.chmod(f"{place}/{marker}-dir", 0)  # not even its owner's searchable: cleanup must still remove it
        except OSError:
            pass
        try:
            with open(f"{place}/{marker}", "w") as f:
                f.write("x")
        except OSError:
            pass
    print(a + b)
else:
    left = [p for p in places for m in (marker, f"{marker}-dir") if os.path.lexists(f"{p}/{m}")]
    print(f"PERSISTED {left}" if left else a + b)
