# expect: wrong_answer  -- exit(0) before reading or printing: a verdict never comes from the exit code
import sys

sys.exit(0)
