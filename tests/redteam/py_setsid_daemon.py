# expect: correct  -- a double-forked setsid daemon holds an abstract socket and writes LATE into stdout after the test; DAEMON if test 2 can still reach it
# per-test: correct ; correct
import os
import socket
import sys
import time

a, b = map(int, sys.stdin.readline().split())
NAME = "\0r1rt-daemon-probe"
if (a, b) == (1, 2):
    ready_r, ready_w = os.pipe()
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            server.bind(NAME)
            server.listen(1)
            os.write(ready_w, b"!")
            time.sleep(0.3)
            for _ in range(2000):
                os.write(1, b"LATE\n")
                time.sleep(0.005)
        os._exit(0)
    os.read(ready_r, 1)
    print(a + b)
else:
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(NAME)
        print("DAEMON alive")
    except OSError:
        print(a + b)
