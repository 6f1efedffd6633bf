# expect: time_limit  -- 16 threads spinning (and the main thread): CPU time of the whole process counts
import threading


def spin():
    while True:
        pass


for _ in range(16):
    threading.Thread(target=spin, daemon=True).start()
spin()
