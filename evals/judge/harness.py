"""The fork server that runs inside one submission's sandbox. Stdlib only; the judge starts it as
``python -I -S harness.py SOCKET_FD CHILD_UID`` inside bubblewrap and talks to it over a Unix
SEQPACKET socket: one JSON command per packet, file descriptors attached with SCM_RIGHTS.

Why a fork server: the interpreter (and the compiled solution) load once per submission, and each
test is a fork (about 2 ms) instead of a new sandbox plus a new interpreter (about 30 ms).

What keeps it honest: the tests' expected outputs never come here (the judge compares outside);
stdin, stdout and stderr of a test are host files passed as descriptors, so no test can see
another's files; every child drops to ``CHILD_UID`` (another uid than this process, which keeps
only CAP_SETUID/CAP_SETGID/CAP_KILL), so a solution can neither signal nor trace this server; after
each test every other process in the sandbox is killed and the scratch directory emptied.
Time and memory are measured outside, from the submission's cgroup; the numbers here are advisory.

Commands (each answered with one JSON packet):
  {"op": "compile", "path": P}                      compile Python source P; answer {"error": msg|null}
  {"op": "run", "mode": "exec"|"python"|"functional", "argv": [...], "func": name,
   "cpu_s": s, "wall_s": s, "fsize": bytes, "nofile": n, "nproc": n, "env": {...}}
      + fds [stdin, stdout, stderr(, result)]       answer {"exit_code", "signal", "wall_s", "timed_out", ...}
  {"op": "save", "src": P, "dst": Q}                copy a compiled binary out of the scratch dir
  {"op": "kill"}                                    during a run: kill the test (answer says "killed");
                                                    between runs: ignored, no answer
"""
import ast
import builtins
import errno
import fcntl
import gc
import json
import os
import resource
import select
import signal
import site
import socket
import symtable
import sys
import time
import traceback

# Started with -S: the host's .pth files (their imports, e.g. threading, whose after-fork hook alone
# costs ~120 page faults a test) never run in the box. What site gives a program stays the same:
# exit/quit/help/copyright/credits/license and site-packages on sys.path (under -I, no interactive hook).
if sys.flags.no_site:
    site.setquit()
    site.setcopyright()
    site.sethelper()
    sys.path.extend(d for d in site.getsitepackages() if os.path.isdir(d) and d not in sys.path)

_TICKS = os.sysconf("SC_CLK_TCK")
SCRATCH = "/work"
WRITABLE = ("/work", "/tmp", "/dev/shm")  # emptied after every test: no state carries over
_code = None  # the compiled Python solution, inherited by every forked test
# LiveCodeBench runs every Python program after these imports (its solutions rely on them, e.g.
# ``List[int]`` in starter code without ``from typing import List``); so do we, for every program.
_PRELUDE_MODULES = ("string", "re", "datetime", "collections", "heapq", "bisect", "copy", "math", "random",
                    "statistics", "itertools", "functools", "operator", "io", "sys", "json")
PRELUDE = compile("\n".join([f"from {m} import *" for m in (*_PRELUDE_MODULES[:-1], "json", "builtins", "typing")]
                            + [f"import {m}" for m in _PRELUDE_MODULES] + ["sys.setrecursionlimit(50000)"]),
                  "<prelude>", "exec")
_BASE = {"__name__": "__main__", "__builtins__": builtins, "__file__": "solution.py"}
exec(PRELUDE, _BASE)  # once here, not 18 star imports per fork; each test runs in its fork's own copy


def _kill_others() -> None:
    """SIGKILL every process of this pid namespace except pid 1 (bwrap's reaper) and us: what
    kill(-1) does (the kernel skips the namespace's init and the caller), in one system call where
    listing /proc cost a list of strings a test. ESRCH: nothing was left to kill."""
    for _ in range(50):  # a fork bomb refills the table while we sweep; the pids cgroup bounds it
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            return
        _reap()
        time.sleep(0.001)


def _reap() -> None:
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def _clear_or_descend(fd: int, stuck: set) -> tuple[int | None, bool]:
    """One pass over the directory ``fd``: unlink what is not a directory, rmdir empty directories,
    and stop at the first non-empty one, returned opened (made 0700 first: its owner may have left it
    0000). Also returns whether something here could not be removed (then its parent cannot be)."""
    failed, dev = False, os.fstat(fd).st_dev
    with os.scandir(fd) as entries:
        for entry in entries:
            try:
                if not entry.is_dir(follow_symlinks=False):  # files, symlinks (never followed), fifos, sockets
                    os.unlink(entry.name, dir_fd=fd)
                    continue
                if (entry.inode(), dev) in stuck:
                    failed = True
                    continue
                try:
                    os.rmdir(entry.name, dir_fd=fd)
                    continue
                except OSError as exc:
                    if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                        raise  # e.g. EBUSY: emptying it would not let it go, so never go in (no loop)
                os.chmod(entry.name, 0o700, dir_fd=fd)  # a directory (checked above), not a symlink
                return os.open(entry.name, _DIR_FLAGS, dir_fd=fd), failed
            except OSError:
                failed = True
    return None, failed


def _remove_contents(top: str) -> None:
    """Empty ``top`` whatever a test left there: 3,000-deep trees of 255-byte names, 0000 directories,
    symlink loops, fifos, sockets, names in any bytes. Linear time and constant memory: it walks by
    descriptors (one open at a time, ``..`` to go up), never builds a path, never follows a link, and
    re-reads a directory only after emptying one of its subdirectories, whose entry is removed then
    (directories that cannot be emptied are remembered by inode and skipped, so it always ends)."""
    stuck: set[tuple[int, int]] = set()
    fd = os.open(top, _DIR_FLAGS)
    depth = 0
    try:
        while True:
            child, failed = _clear_or_descend(fd, stuck)
            if child is not None:
                os.close(fd)
                fd, depth = child, depth + 1
                continue
            if depth == 0:
                return
            if failed:
                info = os.fstat(fd)
                stuck.add((info.st_ino, info.st_dev))
            parent = os.open("..", _DIR_FLAGS, dir_fd=fd)
            os.close(fd)
            fd, depth = parent, depth - 1
    finally:
        os.close(fd)


def _scratch_left() -> bool:
    return any(os.listdir(d) for d in WRITABLE if os.path.isdir(d))


def _sysv_ipc_left() -> bool:
    """Whether any SysV shared memory, message queue or semaphore exists in this IPC namespace."""
    for kind in ("shm", "msg", "sem"):  # raw reads: this runs after every test
        try:
            fd = os.open(f"/proc/sysvipc/{kind}", os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            if os.read(fd, 4096).count(b"\n") > 1:  # a header line, then one line per object
                return True
        except OSError:
            pass
        finally:
            os.close(fd)
    return False


def _clean(child_uid: int) -> tuple[bool, float]:
    """Leave nothing of a test for the next: the scratch dirs emptied and no SysV IPC object (these
    outlive their creator, keep their memory charged to the box and let tests talk to each other).
    It runs in a child as the tests' uid, the owner of everything they left (the harness holds no
    CAP_DAC_OVERRIDE or CAP_FOWNER, and needs none). Returns whether everything went, and the CPU
    seconds it took (charged to the box's cgroup, so the judge takes them off the test's time)."""
    if not _scratch_left() and not _sysv_ipc_left():
        return True, 0.0  # the usual case: no fork
    pid = os.fork()
    if pid == 0:
        try:
            if child_uid >= 0:
                os.setgroups([])
                os.setgid(child_uid)
                os.setuid(child_uid)
            for top in WRITABLE:
                if os.path.isdir(top):
                    _remove_contents(top)
            if _sysv_ipc_left():
                os.execv("/usr/bin/ipcrm", ["ipcrm", "--all"])
        finally:
            os._exit(0)
    _, _, usage = os.wait4(pid, 0)
    return not _scratch_left(), usage.ru_utime + usage.ru_stime


def _copy(src: str, dst: str, mode: int) -> None:
    """A compiled binary out of the scratch dir (not shutil: it loads zlib, bz2 and lzma, three
    libraries and ~30 memory mappings more for every test's fork to copy and tear down)."""
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        while chunk := fin.read(1 << 20):
            fout.write(chunk)
    os.chmod(dst, mode)


def _limit_child(cmd: dict, child_uid: int) -> None:
    # The OOM killer takes the test's processes before this server, even when each of many
    # children holds less than it: the limit is the test's, the server's memory sits on top.
    try:  # raising it needs no privilege; the test's children inherit it. (os.open: a text file
        fd = os.open("/proc/self/oom_score_adj", os.O_WRONLY)  # here cost 0.2 ms of CoW faults a test)
        try:
            os.write(fd, b"1000")
        finally:
            os.close(fd)
    except OSError:
        pass  # then a dead harness is still reported (memory_limit when the cgroup counted an OOM kill)
    if child_uid >= 0:
        os.setgroups([])
        os.setgid(child_uid)
        os.setuid(child_uid)
    cpu = int(cmd["cpu_s"]) + 1  # the kernel's kill for busy loops; the verdict uses measured time
    for limit, value in ((resource.RLIMIT_CPU, cpu), (resource.RLIMIT_FSIZE, cmd["fsize"]),
                         (resource.RLIMIT_NOFILE, cmd["nofile"]), (resource.RLIMIT_NPROC, cmd["nproc"]),
                         (resource.RLIMIT_CORE, 0), (resource.RLIMIT_MSGQUEUE, 0)):
        resource.setrlimit(limit, (value, value))
    os.chdir(SCRATCH)


def _python_main(cmd: dict) -> int:
    """Run the solution in this forked interpreter as ``__main__``; returns the exit status."""
    sys.stdin = open(0, encoding="utf-8", errors="surrogateescape", closefd=False)
    sys.stdout = open(1, "w", encoding="utf-8", errors="surrogateescape", closefd=False)
    sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False, buffering=1)
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = sys.stdin, sys.stdout, sys.stderr
    sys.argv = cmd.get("argv") or ["solution.py"]
    sys.set_int_max_str_digits(0)  # 10^5-digit answers are legitimate in competitive programming
    # The fork's private copy of the prelude's namespace, used in place: a dict(_BASE) copy would
    # touch every prelude object's refcount, a copy-on-write fault per page (~230, 0.9 ms a test).
    namespace = _BASE
    namespace.update(stdin=sys.stdin, stdout=sys.stdout, stderr=sys.stderr)  # `from sys import *`
    sys.setrecursionlimit(50000)
    status = 0
    try:
        exec(_code, namespace)
        if cmd["mode"] == "functional":
            _call_functional(namespace, cmd["func"])
        threading = sys.modules.get("threading")  # only a program that imported it can have threads to wait for
        for thread in threading.enumerate() if threading else ():  # like interpreter exit: join non-daemon ones
            if thread is not threading.main_thread() and not thread.daemon:
                thread.join()
    except SystemExit as exc:
        status = _exit_status(exc.code)
    except BaseException:
        traceback.print_exc()
        status = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException as exc:  # EFBIG past the output limit, or a closed stdout
        os.write(2, f"\nflushing output failed: {exc!r}\n".encode())
        status = status or 1
    return status


def _exit_status(code) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def _call_functional(namespace: dict, func: str) -> None:
    """LeetCode style: Solution().func(*args), args one JSON value per stdin line; result on fd 3."""
    if "Solution" not in namespace:
        raise NameError("the program defines no class Solution")
    args = [json.loads(line) for line in sys.stdin.read().split("\n") if line.strip()]
    result = getattr(namespace["Solution"](), func)(*args)
    text = json.dumps(result)  # plain JSON only: an object whose __eq__ lies cannot survive this
    with open(3, "w", encoding="utf-8", closefd=False) as out:
        out.write(text)


def _child(cmd: dict, fds: list[int], child_uid: int, sock: socket.socket, report: int) -> None:
    """In the forked child: wire the test's descriptors, drop privileges, then run. Never returns.

    ``report``: a pipe to the harness, written to only when the setup fails, and closed before the
    solution runs (close-on-exec for a binary), so no solution can claim a setup failure (which an
    exit status could: any program can exit 121)."""
    solution_started = False
    try:
        sock.close()
        report = fcntl.fcntl(report, fcntl.F_DUPFD_CLOEXEC, len(fds) + 1)  # above the test's fds
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        os.closerange(len(fds), report)
        os.closerange(report + 1, 1 << 16)
        _limit_child(cmd, child_uid)
        if cmd["mode"] == "exec":
            for sig in (signal.SIGPIPE, signal.SIGXFSZ, signal.SIGXCPU):
                signal.signal(sig, signal.SIG_DFL)  # Python ignores these; a C++ program must not
            os.execve(cmd["argv"][0], cmd["argv"], cmd.get("env") or {"PATH": "/usr/bin:/bin"})
        os.close(report)
        solution_started = True
        os._exit(_python_main(cmd))
    except BaseException as exc:
        if solution_started:  # e.g. a traceback that cannot be written into a full stderr
            os._exit(1)
        try:  # setup failed before the solution ran: say so, distinctly
            os.write(2, f"harness: cannot start the test: {exc!r}\n".encode())
            os.write(report, b"!")
        finally:
            os._exit(121)


def _cpu_s(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS  # utime + stime
    except (OSError, IndexError, ValueError):
        return 0.0


def _wait(pid: int, pidfd: int, start: float, cpu_s: float, wall_s: float, sock: socket.socket) -> str | None:
    """Wait for the child; "timed_out" when it ran past the wall limit or its CPU limit (checked every
    20 ms, so a TLE costs about the limit, not RLIMIT_CPU's whole extra second), "killed" when the
    judge sent {"op": "kill"} meanwhile (an interaction ended), None when it exited."""
    while True:
        left = wall_s - (time.monotonic() - start)
        if left <= 0:
            return "timed_out"
        ready = select.select([pidfd, sock], [], [], min(left, 0.02))[0]
        if pidfd in ready:
            return None
        if sock in ready:
            data = sock.recv(1 << 16)
            if not data or json.loads(data).get("op") == "kill":
                return "killed"
        if _cpu_s(pid) > cpu_s + 0.05:
            return "timed_out"


def _run(cmd: dict, fds: list[int], child_uid: int, sock: socket.socket) -> dict:
    start = time.monotonic()
    report_r, report_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(report_r)
        _child(cmd, fds, child_uid, sock, report_w)
    os.close(report_w)
    for fd in fds:
        os.close(fd)
    pidfd = os.pidfd_open(pid)
    stopped = _wait(pid, pidfd, start, cmd["cpu_s"], cmd["wall_s"], sock)
    if stopped:
        os.kill(pid, signal.SIGKILL)
    _, status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - start
    os.close(pidfd)
    _kill_others()
    os.set_blocking(report_r, False)  # every writer is gone by now; never wait on it
    try:
        setup_failed = bool(os.read(report_r, 1))
    except BlockingIOError:
        setup_failed = False
    os.close(report_r)
    clean, cleanup_cpu = (True, 0.0) if cmd.get("keep_scratch") else _clean(child_uid)
    return {
        "exit_code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        "wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "timed_out": stopped == "timed_out",
        "killed": stopped == "killed",
        "setup_failed": setup_failed, "unclean": not clean,
        "cleanup_cpu_s": cleanup_cpu,
    }


def _compile(path: str) -> dict:
    global _code
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            source = f.read()
        _code = compile(source, "solution.py", "exec")  # the verdict on the program as written
    except (SyntaxError, ValueError, MemoryError, RecursionError) as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}
    _code = with_global_names(source) or _code
    return {"error": None}


# Names that show a frame's own locals or the frame itself: with them, module code and a function
# body differ (locals() is the globals dict in one, an empty snapshot in the other).
_FRAME_NAMES = frozenset({"locals", "vars", "dir", "exec", "eval", "breakpoint", "_getframe", "currentframe",
                          "f_locals", "f_globals", "f_back", "f_code", "tb_frame", "gi_frame", "cr_frame", "stack",
                          "trace", "getouterframes", "settrace", "setprofile", "_current_frames"})


def with_global_names(source: str):
    """The program compiled as a function body that declares every module-level name ``global``,
    run with ``exec`` like module code; None where that could behave differently.

    Why: module code looks names up with LOAD_NAME, which CPython 3.11 never specialises; a function
    with ``global`` declarations uses LOAD_GLOBAL, cached per dict version: loops at module level
    (common in contest code) run about 1.35x faster. Resolution is the same, globals then builtins,
    and stores and deletes go to the same dict; nested functions and classes see the same globals,
    and keep their qualified names (a ``global`` name's qualname has no ``<locals>``). The code is
    named ``<module>`` and keeps its line numbers, so tracebacks read the same. Not used where the
    function form would not compile (star imports, annotated names, ``from __future__``), nor when
    the program names anything that shows frames or their locals (``_FRAME_NAMES``, also in strings)."""
    try:
        tree = ast.parse(source, "solution.py")
        for node in ast.walk(tree):
            name = (node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute)
                    else node.name if isinstance(node, ast.alias) else None)
            if name in _FRAME_NAMES or isinstance(node, ast.AnnAssign) or (  # getattr(sys, "_getframe")
                    isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes))
                    and any(w in str(node.value) for w in _FRAME_NAMES)):
                return None
        return as_global_function(tree, source)
    except (SyntaxError, ValueError, MemoryError, RecursionError, TypeError):
        return None


def as_global_function(tree: ast.Module, source: str):
    """``with_global_names`` without its checks (the tests show what they guard against)."""
    try:
        names = set(symtable.symtable(source, "solution.py", "exec").get_identifiers())
        docstring = ast.get_docstring(tree, clean=False)
        if docstring is not None:  # module code stores its docstring as __doc__; a function would not
            names.add("__doc__")
            tree.body.insert(0, ast.copy_location(ast.Assign(
                targets=[ast.Name("__doc__", ast.Store())], value=ast.Constant(docstring)), tree.body[0]))
        body = [ast.Global(names=sorted(names))] if names else []
        function = ast.FunctionDef(name="__module__", args=ast.arguments(
            posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[]),
            body=body + tree.body or [ast.Pass()], decorator_list=[])
        module = ast.fix_missing_locations(ast.Module(body=[ast.copy_location(function, ast.Pass(
            lineno=1, col_offset=0, end_lineno=1, end_col_offset=0))], type_ignores=[]))
        outer = compile(module, "solution.py", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, MemoryError, RecursionError, TypeError):
        return None
    code = next(c for c in outer.co_consts if isinstance(c, type(outer)))
    return code.replace(co_name="<module>", co_qualname="<module>")


def serve(sock_fd: int, child_uid: int) -> None:
    global _code
    gc.freeze()  # keep the collector from touching (and so copying) the server's pages in every fork
    sock = socket.socket(fileno=sock_fd)
    while True:
        try:
            data, fds, _, _ = socket.recv_fds(sock, 1 << 16, 8)
        except ConnectionError:
            return
        if not data:
            return
        cmd = json.loads(data)
        if cmd["op"] == "kill":  # meant for a test that ended before it came: nothing to do, no answer
            continue
        if cmd["op"] == "compile":
            reply = _compile(cmd["path"])
        elif cmd["op"] == "run":
            reply = _run(cmd, fds, child_uid, sock)
        elif cmd["op"] == "reset":  # the box is reused for another submission
            _kill_others()
            clean, _ = _clean(child_uid)
            _code = None
            for name in os.listdir("/state"):
                os.unlink(os.path.join("/state", name))
            reply = {"ok": clean}
        elif cmd["op"] == "save":
            _copy(cmd["src"], cmd["dst"], 0o555)
            reply = {"ok": _clean(child_uid)[0]}
        else:
            reply = {"error": f"unknown op {cmd['op']!r}"}
        sock.send(json.dumps(reply).encode())


if __name__ == "__main__":
    serve(int(sys.argv[1]), int(sys.argv[2]))
