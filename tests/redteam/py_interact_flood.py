# expect: output_limit  -- floods the interactor with whitespace it must skip: stopped at the output limit
# problem: guess
import sys

block = " " * (1 << 16)
while True:
    sys.stdout.write(block)
