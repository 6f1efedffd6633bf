# expect: correct  -- leaves 20 zombies and 10 orphans that sleep forever; LEFT if test 2 still sees any process of its uid
# per-test: correct ; correct
import os
import sys
import time

a, b = map(int, sys.stdin.readline().split())
if (a, b) == (1, 2):
    for _ in range(20):
        if os.fork() == 0:
            os._exit(0)
    for _ in range(10):
        if os.fork() == 0:
            if os.fork() == 0:
                time.sleep(1000)
            os._exit(0)
    print(a + b)
else:
    mine = [p for p in os.listdir("/proc") if p.isdigit() and int(p) != os.getpid()
            and os.stat(f"/proc/{p}").st_uid == os.getuid()]
    print(f"LEFT {mine}" if mine else a + b)
