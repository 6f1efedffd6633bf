# expect: idleness_limit  -- asks once, then sleeps without ever reading: both sides wait, the judge ends it at once
# problem: guess
import sys
import time

sys.stdout.write("? 1\n")
sys.stdout.flush()
time.sleep(600)
