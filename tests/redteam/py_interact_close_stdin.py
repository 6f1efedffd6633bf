# expect: runtime_error|wrong_answer|wrong_format  -- closes its stdin, then asks and cannot read answers
# problem: guess
import os

os.close(0)
print("? 1", flush=True)
print(input())
