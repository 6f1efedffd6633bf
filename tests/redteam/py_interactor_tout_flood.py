# expect: judge_error  -- an honest solution against an interactor that floods its tout past the output limit: the jury's fault
# problem: guess_tout_flood
n = int(input())
lo, hi = 1, n
while True:
    m = (lo + hi) // 2
    print("?", m, flush=True)
    answer = input()
    if answer == "=":
        break
    lo, hi = (m + 1, hi) if answer == ">" else (lo, m - 1)
