# expect: correct  -- control: an honest A+B; every other verdict in this suite is measured against it
a, b = map(int, input().split())
print(a + b)
