# expect: runtime_error  -- sends itself SIGXFSZ (the file-size-limit signal: an output_limit with no output once) far below every limit
# per-test: runtime_error ; correct
import os
import signal
import sys

a, b = map(int, sys.stdin.readline().split())
if (a, b) == (1, 2):
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)  # Python starts with SIGXFSZ ignored
    os.kill(os.getpid(), signal.SIGXFSZ)
print(a + b)
