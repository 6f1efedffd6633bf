# expect: correct  -- starts up to 10,000 threads: the pids limit stops it early and it answers; MANY if >= 1000 started
import sys
import threading

a, b = map(int, sys.stdin.readline().split())
release = threading.Event()
started = 0
for _ in range(10_000):
    try:
        threading.Thread(target=release.wait, daemon=True).start()
    except RuntimeError:
        break
    started += 1
release.set()
print(a + b if started < 1000 else f"MANY {started}")
