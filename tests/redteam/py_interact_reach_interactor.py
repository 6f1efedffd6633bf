# expect: correct  -- hunts for the interactor's test file, log (tout: /dev/fd/3 in its sandbox) and process, tries to signal it, then plays honestly
# problem: guess
# Any success shows: a found secret is sent as the guess (the interactor rejects it: wrong_format), a
# killed interactor is a judge_error. Only a failed attack gets `correct`.
import glob
import os
import signal

found = []
for pattern in ("/box/*", "/work/*", "/tmp/*", "/state/*", "/proc/*/root/box/*", "/proc/*/cwd/*", "/proc/*/fd/*"):
    for path in glob.glob(pattern):
        try:
            target = os.readlink(path) if path.startswith("/proc/") and "/fd/" in path else path
        except OSError:
            target = path
        if os.path.basename(path) in ("input.txt", "answer.txt", "tout.txt") or target.endswith(".side"):
            found.append(path)
for tout in ("/dev/fd/3", "/proc/self/fd/3"):  # the interactor's tout has this name in its own sandbox only
    try:
        with open(tout, "a") as f:
            f.write("forged\n")
        found.append(tout)
    except OSError:
        pass
mine = {os.getpid(), os.getppid(), 1}
others = []
for pid in (int(p) for p in os.listdir("/proc") if p.isdigit()):
    try:
        cmd = open(f"/proc/{pid}/cmdline", "rb").read()
    except OSError:
        continue
    if b"input.txt" in cmd or b"/dev/fd/3" in cmd:
        others.append(pid)
for pid in others:
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
try:
    os.kill(-1, signal.SIGKILL)  # everything this uid may signal (never the judge's processes)
except OSError:
    pass
n = int(input())
if found or others:
    print("? LEAKED", found[:3], others[:3], flush=True)
lo, hi = 1, n
while True:
    m = (lo + hi) // 2
    print("?", m, flush=True)
    answer = input()
    if answer == "=":
        break
    lo, hi = (m + 1, hi) if answer == ">" else (lo, m - 1)
