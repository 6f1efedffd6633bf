# expect: correct  -- test 1 adds a key to the user keyring through ctypes (keys outlive the process and are keyed by uid); PERSISTED if test 2 finds it, FILTER if add_key is not refused with EPERM
# per-test: correct ; correct
import ctypes
import errno
import sys

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
ADD_KEY, KEYCTL, KEYCTL_SEARCH, USER_KEYRING, SESSION_KEYRING = 248, 250, 10, -4, -3
a, b = map(int, sys.stdin.readline().split())
if (a, b) == (1, 2):
    for ring in (USER_KEYRING, SESSION_KEYRING):
        ctypes.set_errno(0)
        key = libc.syscall(ctypes.c_long(ADD_KEY), b"user", b"r1rt-pykey", b"R1RT-secret", ctypes.c_long(11),
                           ctypes.c_long(ring))
        if key >= 0 or ctypes.get_errno() != errno.EPERM:
            print(f"FILTER add_key to {ring}: {key} ({errno.errorcode.get(ctypes.get_errno())})")
            sys.exit(0)
    print(a + b)
else:
    found = [libc.syscall(ctypes.c_long(KEYCTL), ctypes.c_long(KEYCTL_SEARCH), ctypes.c_long(ring), b"user",
                          b"r1rt-pykey", ctypes.c_long(0)) for ring in (USER_KEYRING, SESSION_KEYRING)]
    print(f"PERSISTED {found}" if any(k >= 0 for k in found) else a + b)
