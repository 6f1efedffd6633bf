# expect: wrong_answer  -- 10 million short lines (30 MB, under the output limit): the judge must still compare them, outside the sandbox, and answer
import sys

sys.stdout.write("ab\n" * 10_000_000)
