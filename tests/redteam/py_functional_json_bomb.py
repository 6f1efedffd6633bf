# expect: wrong_answer  -- functional: writes 30 MB of "[" straight into the result descriptor and exits: the judge's JSON decoding must fail safely (wrong answer, not a crash or a hang)
# problem: functional
import os


class Solution:
    def add(self, a, b):
        os.write(3, b"[" * 30_000_000)
        os._exit(0)
