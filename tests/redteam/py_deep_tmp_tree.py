# expect: correct  -- test 1 leaves a 3,000-deep tree of 200-byte directory names in /tmp and /work (0000 and read-only dirs, fifos, sockets, symlink loops, odd names on the way); the cleanup must stay linear (no OOM, no memory_limit) and test 2 must find both empty
# per-test: correct ; correct
import os
import socket
import sys

a, b = map(int, sys.stdin.readline().split())
if (a, b) == (1, 2):
    for top in ("/tmp", "/work"):
        os.chdir(top)
        names = []
        for depth in range(3000):
            name = f"r1rt-{depth:05d}-" + "d" * 189
            os.mkdir(name)
            os.chdir(name)
            names.append(name)
            if depth % 500 == 0:  # a zoo of entries every 500 levels
                os.mkfifo("fifo")
                socket.socket(socket.AF_UNIX).bind("sock")
                os.symlink("loop-b", "loop-a")
                os.symlink("loop-a", "loop-b")
                os.symlink("..", "up")
                os.symlink("/", "root")
                with open(b"odd \xff\n\t*?name", "w") as f:
                    f.write("x")
                os.chmod(b"odd \xff\n\t*?name", 0)
                os.mkdir("sticky")
                os.chmod("sticky", 0o1777)
        for depth, name in reversed(list(enumerate(names))):  # back up, locking some levels
            os.chdir("..")
            if depth % 700 == 0:
                os.chmod(name, 0)  # not even its owner may list or enter it
            elif depth % 300 == 0:
                os.chmod(name, 0o500)  # no writes: its entries cannot be unlinked as they are
    print(a + b)
else:
    left = [top for top in ("/tmp", "/work") if os.listdir(top)]
    print(f"PERSISTED {left}" if left else a + b)
