# expect: runtime_error|output_limit  -- fills stderr to the output limit, then raises: the traceback cannot be written; must stay the program's fault (never judge_error)
import os

try:
    while True:
        os.write(2, b"e" * (1 << 16))
except OSError:
    pass
raise ValueError("and now a traceback into a full stderr")
