# expect: output_limit  -- floods stdout and stderr in turn
import os

block = b"y" * (1 << 16)
while True:
    os.write(1, block)
    os.write(2, block)
