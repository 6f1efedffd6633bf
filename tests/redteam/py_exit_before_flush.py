# expect: wrong_answer  -- prints into the buffer, then os._exit(0): the answer never reaches stdout
import os

a, b = map(int, input().split())
print(a + b)
os._exit(0)
