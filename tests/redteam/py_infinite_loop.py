# expect: time_limit  -- a busy loop: RLIMIT_CPU and the cgroup's CPU time
a, b = map(int, input().split())
while True:
    pass
