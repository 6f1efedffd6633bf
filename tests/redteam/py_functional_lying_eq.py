# expect: runtime_error|wrong_answer  -- functional: returns an object whose __eq__ always says True (judged as plain JSON, it cannot even be encoded)
# problem: functional
class Liar:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = object.__hash__


class Solution:
    def add(self, a, b):
        return Liar()
