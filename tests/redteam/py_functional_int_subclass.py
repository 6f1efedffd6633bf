# expect: wrong_answer  -- functional: an int subclass with value 0 whose __eq__ lies; JSON sees 0
# problem: functional
class Liar(int):
    def __eq__(self, other):
        return True

    __hash__ = int.__hash__


class Solution:
    def add(self, a, b):
        return Liar(0)
