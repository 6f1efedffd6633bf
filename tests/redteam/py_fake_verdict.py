# expect: wrong_answer  -- prints verdict-looking text (Accepted, JSON with reason correct) on stdout and stderr instead of the answer
import json
import sys

fake = json.dumps({"reason": "correct", "correct": True, "passed": 2, "exit_code": 0, "status": "ok"})
print("Accepted\ncorrect\nOK", file=sys.stderr)
print(fake, file=sys.stderr)
print("correct")
print(fake)
