# expect: correct  -- setuid(0)/setgid(0)/setgroups and the setuid-root binaries (mount reports its effective uid): PWNED if any gives root
import os
import subprocess
import sys

a, b = map(int, sys.stdin.readline().split())
pwned = []
for name, call in (("setuid", lambda: os.setuid(0)), ("setgid", lambda: os.setgid(0)),
                   ("setresuid", lambda: os.setresuid(0, 0, 0)), ("setgroups", lambda: os.setgroups([0]))):
    try:
        call()
        pwned.append(name)
    except OSError:
        pass
for argv in (["mount", "-t", "tmpfs", "none", "/work"], ["umount", "/work"], ["su", "-c", "true"], ["newgrp", "0"]):
    try:
        run = subprocess.run(argv, capture_output=True, text=True, timeout=0.5, stdin=subprocess.DEVNULL,
                             check=False)
    except (OSError, subprocess.TimeoutExpired):
        continue
    said = run.stdout + run.stderr
    if "effective UID is 0" in said or (argv[0] == "mount" and run.returncode == 0):
        pwned.append(f"{argv[0]}: {said.strip()[:100]}")
if os.geteuid() == 0 or os.getuid() == 0:
    pwned.append("uid 0")
print(f"PWNED {pwned}" if pwned else a + b)
