"""A uid per sandbox that no other box on this machine holds at the same time.

Usage::

    lease = UidLease()      # lease.uid: run this box's tests as it
    ...
    lease.release()         # after every process of that uid is dead

Why: per-uid kernel state is shared by every process of a uid, whatever its namespaces (the process
count RLIMIT_NPROC checks, inotify and pipe-buffer quotas, the kernel keyrings). Deriving the uid
from the judge's pid gave every judge started as pid 2 of a container the same uid.

Policy: a uid drawn at random from UID_COUNT uids starting at UID_FIRST, held by an exclusive flock
on ``<lock dir>/<uid>`` for the box's life. The lock dir is /run/r1-judge/uids (or, where /run is not
writable, under the temp dir), so judges sharing that directory never share a uid; judges that do not
(containers on one kernel) collide with odds of about (boxes alive) / UID_COUNT per box. A later box
may get a uid again: nothing of an earlier box survives it (its processes are killed, its files lie
in its own tmpfs, and the seccomp filter denies the keyrings, the one per-uid store that outlives
processes). The range sits between systemd-nspawn's automatic container range (up to 0x6FFFFFFF)
and the upper half some tools read as negative, away from DynamicUser (61184-65519) and /etc/subuid
ranges (100000 and up, 65536 per user).
"""
from __future__ import annotations

import fcntl
import os
import secrets
import tempfile
from pathlib import Path

UID_FIRST = 0x70000000
UID_COUNT = 1 << 27
LOCK_DIRS = (Path("/run/r1-judge/uids"), Path(tempfile.gettempdir()) / "r1-judge-uids")


def _lock_dir() -> Path:
    for d in LOCK_DIRS:
        try:
            d.mkdir(mode=0o700, parents=True, exist_ok=True)
            if os.access(d, os.W_OK | os.X_OK):
                return d
        except OSError:
            continue
    raise OSError(f"no writable directory for uid locks among {[str(d) for d in LOCK_DIRS]}")


class UidLease:
    def __init__(self) -> None:
        directory = _lock_dir()
        for _ in range(1000):
            uid = UID_FIRST + secrets.randbelow(UID_COUNT)
            path = directory / str(uid)
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                # the holder before us may have unlinked the file after we opened it: then retry
                if os.stat(path).st_ino == os.fstat(fd).st_ino:
                    self.uid, self._fd, self._path = uid, fd, path
                    return
            except OSError:
                pass
            os.close(fd)
        raise RuntimeError(f"no free sandbox uid in {directory} after 1000 draws")

    def release(self) -> None:
        if self._fd < 0:
            return
        try:
            self._path.unlink()  # still holding the lock: whoever opened this inode will see it gone
        except OSError:
            pass
        os.close(self._fd)
        self._fd = -1
