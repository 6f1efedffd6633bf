# expect: correct  -- the control: an honest binary search gets correct on the interactive problem
# problem: guess
n = int(input())
lo, hi = 1, n
while True:
    m = (lo + hi) // 2
    print("?", m, flush=True)
    answer = input()
    if answer == "=":
        break
    lo, hi = (m + 1, hi) if answer == ">" else (lo, m - 1)
