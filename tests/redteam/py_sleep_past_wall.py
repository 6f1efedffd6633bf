# expect: time_limit  -- sleeps 100 s: no CPU used, only the wall watchdog can end it
import time

time.sleep(100)
print(3)
