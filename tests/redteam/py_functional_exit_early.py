# expect: wrong_answer  -- functional: the method calls os._exit(0) before returning, so no result is written
# problem: functional
import os


class Solution:
    def add(self, a, b):
        os._exit(0)
