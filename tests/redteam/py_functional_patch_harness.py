# expect: wrong_answer  -- functional: monkeypatches the harness's json.dumps and its helpers in the forked interpreter, returns a wrong value
# problem: functional
import json
import sys

harness = sys.modules.get("__main__")
json.dumps = lambda *args, **kwargs: "true"
if harness is not None:
    for name in ("_exit_status", "_call_functional"):
        if hasattr(harness, name):
            setattr(harness, name, lambda *args, **kwargs: 0)


class Solution:
    def add(self, a, b):
        return -1
