# expect: wrong_format|wrong_answer  -- reads n, closes its stdout and waits: the interactor sees end-of-file
# problem: guess
import os
import sys
import time

sys.stdin.readline()
os.close(1)
time.sleep(600)
