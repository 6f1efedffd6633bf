# expect: correct  -- test 1 fills /tmp (a 64 MB tmpfs, charged to the memory cgroup) with 8 MB files until ENOSPC and answers; NO SPACE if test 2 cannot write 48 MB there again
# per-test: correct ; correct
import os
import sys

a, b = map(int, sys.stdin.readline().split())


def fill(directory, cap):
    """Bytes written in 8 MB files (each under the output limit, which RLIMIT_FSIZE puts on every file)."""
    written = 0
    try:
        while written < cap:
            with open(os.path.join(directory, f"fill-{a}-{written >> 20}"), "wb") as f:
                for _ in range(8):
                    f.write(b"\1" * (1 << 20))
                    f.flush()
                    written += 1 << 20
    except OSError:
        pass
    return written


if (a, b) == (1, 2):
    fill("/tmp", 200 << 20)
    print(a + b)
else:
    got = fill("/tmp", 48 << 20)
    print(a + b if got >= 48 << 20 else f"NO SPACE left in /tmp: wrote {got >> 20} MB")
