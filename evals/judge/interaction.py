"""Interactive problems: the solution and the interactor, each in its own sandbox, talking over pipes.

Usage (``judging.judge_code`` does this for a problem with ``interactor`` set)::

    from evals.judge.interaction import Interactor

    with Interactor(problem.interactor, slot, checker=None) as interactor:
        reason, detail, run = interactor.interact(solution_box, test, limits)

The interactor is run as testlib runs it: ``interactor INPUT TOUT [ANSWER]`` with the test's input
(and, when the test has one, its expected output) as files in its own sandbox, its stdin fed by the
solution's stdout and its stdout fed to the solution's stdin; it writes its verdict as an exit code
(0 OK, 1 WA, 2 PE, 3 FAIL, 7 points) and may write to TOUT (testlib's ``tout``), a host file the
judge reads back after the run (``sandbox.SIDE_FILE``; the same output limit as the pipes, an
interactor past it is a ``judge_error``). The solution's sandbox never holds the test input, the
answer, the interactor or its ``tout``.

Two modes, as on Polygon:

* interactor only (``checker`` None): the interactor's exit code is the verdict (Codeforces style);
  ``tout`` is not read.
* interactor + checker: the interactor's OK is not the last word. The checker then runs as
  ``checker INPUT TOUT ANSWER`` (Polygon's convention: the interactor's ``tout`` stands for the
  contestant's output) and its verdict is the test's; a checker that fails is a ``judge_error``
  (``evals.judge.checkers``). WA/PE from the interactor still decide at once.

Both directions pass through a relay in the judge, which counts the bytes (each side has an output
limit: a solution over it gets ``output_limit``, an interactor over it is a ``judge_error``) and
watches for idleness: when no byte has moved for ``idle_s`` seconds and neither sandbox used CPU,
both programs are waiting, and the test ends at once instead of at the wall limit:

* ``idleness_limit`` (the solution's fault, as on Codeforces) when the interactor is waiting on a
  pipe (reading the solution, or writing to a solution that does not read);
* ``judge_error`` when the interactor waits on anything else (it sleeps, it hangs): a jury bug is
  never charged to the program. (Read from ``/proc/PID/wchan`` of the sandboxes' processes; where
  the kernel hides it, idleness is charged to the solution.)

Verdict of one test, first match wins:
1. the interactor failed (FAIL, a crash, an unknown exit code, over its time, memory or output
   limit, or hung as above) -> ``judge_error``;
2. both waited on each other -> ``idleness_limit``; the solution wrote past the output limit -> ``output_limit``;
3. the interactor ended first with WA/PE -> that verdict (the solution is then stopped, so what it
   does afterwards cannot change it);
4. the solution failed (``time_limit``, ``memory_limit``, ``runtime_error``, ``output_limit`` on
   stderr) -> that;
5. the interactor's verdict (OK -> ``correct``; points without a full score -> ``wrong_answer``);
6. with a checker, an OK from step 5 goes to the checker, which decides.
"""
from __future__ import annotations

import os
import select
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from evals.judge.checkers import Checker
from evals.judge.compare import checker_verdict
from evals.judge.jury import JuryError, jury_box
from evals.judge.problems import TestCase
from evals.judge.sandbox import OUTPUT_LIMIT, SIDE_FILE, Box, Execution, Limits, SandboxCrash

CHUNK = 1 << 16
BUFFER_CAP = 1 << 20  # bytes held for a reader that does not read; then the writer blocks
IDLE_CPU_SHARE = 0.05  # "no CPU": both sandboxes together under 5% of one core over the window
POLL_S = 0.05


class InteractorError(RuntimeError):
    """The interactor failed: a judge error, never the solution's fault."""


def interactor_limits(solution: Limits, output_bytes: int = OUTPUT_LIMIT) -> Limits:
    """The interactor's own limits: more CPU than the solution (it is trusted but not free), and a
    wall limit past the solution's, so a slow solution is caught as the solution. ``output_bytes``
    bounds its ``tout`` (and stderr) as the relay bounds its pipe."""
    return Limits(cpu_s=max(5.0, 2 * solution.cpu_s), wall_s=solution.wall_s + 5, memory_mb=512,
                  output_bytes=output_bytes)


def idle_limit(solution: Limits) -> float:
    return min(solution.wall_s, max(1.0, solution.cpu_s))


@dataclass
class _Direction:
    name: str
    src: int
    dst: int | None
    limit: int
    count: int = 0
    buffer: bytes = b""
    eof: bool = False
    eof_at: float = float("inf")  # when its writer closed the pipe: the program ended (or closed stdout)

    @property
    def over(self) -> bool:
        return self.count > self.limit


def _waiting_on_pipe(box: Box) -> bool | None:
    """Whether every test process of ``box`` sleeps in a pipe read or write (None: cannot tell)."""
    if box.cgroup is None or box.proc is None:
        return None
    seen = False
    for pid in box.cgroup.pids():
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
            parent_cmd = Path(f"/proc/{parent}/cmdline").read_bytes().split(b"\0")
            wchan = Path(f"/proc/{pid}/wchan").read_text().strip()
        except (OSError, ValueError, IndexError):
            continue  # exited meanwhile
        if cmdline[0].endswith(b"bwrap") or parent_cmd[0].endswith(b"bwrap"):
            continue  # bubblewrap's processes and the harness (bubblewrap's child) are not the program
        if wchan in ("", "0"):
            return None  # hidden by the kernel
        seen = True
        if "pipe" not in wchan:
            return False
    return seen or None


class Interactor:
    """A problem's interactor, built once (``evals.judge.jury``), run per test in its own sandbox.
    ``checker``: the problem's checker, run on the interactor's ``tout`` when it accepts (None: the
    interactor alone decides); the caller owns it."""

    def __init__(self, source: str, slot: int = 0, checker: Checker | None = None):
        self.checker = checker
        try:
            self.box = jury_box(source, slot)
        except JuryError as exc:
            raise InteractorError(str(exc)) from exc

    def __enter__(self) -> Interactor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.box.close()

    def interact(self, solution: Box, test: TestCase, limits: Limits, *, idle_s: float | None = None,
                 output_bytes: int = OUTPUT_LIMIT) -> tuple[str, str, Execution | None]:
        """Run one test; (reason, explanation, the solution's run). Raises InteractorError (a judge error)."""
        if not self.box.alive():
            self.box.close()
            raise InteractorError("the interactor's sandbox died")
        idle_s = idle_limit(limits) if idle_s is None else idle_s
        args = [self.box.write("input.txt", test.input), SIDE_FILE]
        if test.output:
            args.append(self.box.write("answer.txt", test.output))
        to_sol_r, to_sol_w = os.pipe()
        from_sol_r, from_sol_w = os.pipe()
        to_jury_r, to_jury_w = os.pipe()
        from_jury_r, from_jury_w = os.pipe()
        runs: dict[str, Execution | BaseException] = {}
        ended: dict[str, float] = {}

        def run(name: str, box: Box, pipes: tuple[int, int], run_limits: Limits, run_args: list[str]) -> None:
            try:
                runs[name] = box.run_program(None, run_limits, args=run_args, pipes=pipes, side_file=name == "interactor")
            except BaseException as exc:  # reported by the caller's thread
                runs[name] = exc
            ended.setdefault(name, time.monotonic())

        threads = [threading.Thread(target=run, args=("solution", solution, (to_sol_r, from_sol_w), limits, []),
                                    daemon=True),
                   threading.Thread(target=run, args=("interactor", self.box, (to_jury_r, from_jury_w),
                                                      interactor_limits(limits, output_bytes), args), daemon=True)]
        for thread in threads:
            thread.start()
        sol = _Direction("solution", from_sol_r, to_jury_w, output_bytes)
        jury = _Direction("interactor", from_jury_r, to_sol_w, output_bytes)
        try:
            stop = self._relay(solution, sol, jury, threads, ended, idle_s)
        finally:
            for fd in (from_sol_r, from_jury_r, sol.dst, jury.dst):
                if fd is not None:
                    try:
                        os.close(fd)
                    except OSError:
                        pass
            for thread in threads:
                thread.join()
        for value in runs.values():
            if isinstance(value, SandboxCrash):
                raise InteractorError(f"a sandbox failed during the interaction: {value}")
            if isinstance(value, BaseException):
                raise value
        try:
            jury_run = runs["interactor"]
            reason, detail, run = self._verdict(runs["solution"], jury_run, stop, ended, sol, jury)
            if reason == "correct" and self.checker is not None:  # Polygon: the checker reads the interactor's tout
                reason, detail = self.checker.check(test.input, jury_run.result_path, test.output)
            return reason, detail, run
        finally:
            self.box.discard()  # the tout (up to the output limit) leaves the host disk now

    def _relay(self, solution: Box, sol: _Direction, jury: _Direction, threads: list[threading.Thread],
               ended: dict[str, float], idle_s: float) -> str | None:
        """Move bytes both ways until both programs ended; returns why the judge stopped them, if it did."""
        for fd in (sol.src, jury.src, sol.dst, jury.dst):
            os.set_blocking(fd, False)
        boxes = (solution, self.box)
        window_start, window_cpu, window_bytes = time.monotonic(), _cpu(boxes), 0
        stop: str | None = None
        stopped_solution = False
        while any(t.is_alive() for t in threads):
            directions = (sol, jury)
            readers = [d.src for d in directions if not d.eof and len(d.buffer) < BUFFER_CAP]
            writers = [d.dst for d in directions if d.buffer and d.dst is not None]
            readable, writable, _ = select.select(readers, writers, [], POLL_S)
            for d in directions:
                if d.src in readable:
                    try:
                        data = os.read(d.src, CHUNK)
                    except BlockingIOError:
                        data = None
                    if data == b"":
                        d.eof, d.eof_at = True, time.monotonic()
                    elif data:
                        d.count += len(data)
                        d.buffer = b"" if d.dst is None else d.buffer + data  # nobody left to read it: dropped
                if d.dst is not None and d.dst in writable:
                    try:
                        d.buffer = d.buffer[os.write(d.dst, d.buffer):]
                    except BlockingIOError:
                        pass
                    except BrokenPipeError:  # the reader has gone: the rest is dropped
                        d.buffer = b""
                        d.dst = _close(d.dst)
                if d.eof and not d.buffer and d.dst is not None:
                    d.dst = _close(d.dst)  # the reader sees end-of-file, as with a direct pipe
            if stop is None and (sol.over or jury.over):
                stop = "solution_output" if sol.over else "interactor_output"
                _interrupt(boxes)
            if "interactor" in ended and "solution" not in ended and not stopped_solution:
                stopped_solution = True  # the interactor has decided; whatever the solution does next is moot
                solution.interrupt()
            now = time.monotonic()
            moved = sol.count + jury.count
            if moved != window_bytes or "solution" in ended or "interactor" in ended:
                window_start, window_cpu, window_bytes = now, _cpu(boxes), moved
            elif stop is None and now - window_start >= idle_s:
                cpu = _cpu(boxes)
                if cpu - window_cpu < IDLE_CPU_SHARE * idle_s:
                    stop = "interactor_hang" if _waiting_on_pipe(self.box) is False else "idle"
                    _interrupt(boxes)
                window_start, window_cpu = now, cpu
        return stop

    def _verdict(self, run: Execution, jury: Execution, stop: str | None, ended: dict[str, float],
                 sol: _Direction, jury_dir: _Direction) -> tuple[str, str, Execution]:
        said = jury.stderr_tail.strip()[-500:]
        if stop == "interactor_hang":
            raise InteractorError(f"the interactor stopped answering (it waits on neither pipe): {said}")
        if stop == "interactor_output":
            raise InteractorError(f"the interactor wrote more than {jury_dir.limit} bytes")
        if jury.status == "output_limit":
            raise InteractorError(f"the interactor's tout or stderr reached the output limit ({jury.detail}): {said}")
        if jury.status not in ("ok", "runtime_error", "killed") or jury.signal is not None and jury.status != "killed":
            raise InteractorError(f"interactor {jury.status} ({jury.detail}): {said}")
        reason = checker_verdict(jury.exit_code) if jury.status != "killed" else None
        if reason == "judge_error":
            raise InteractorError(f"interactor exit code {jury.exit_code}: {said}")
        if stop == "idle":
            return "idleness_limit", "the solution and the interactor both waited for the other", run
        if stop == "solution_output":
            return "output_limit", f"the solution wrote more than {sol.limit} bytes to the interactor", run
        jury_first = jury_dir.eof_at < sol.eof_at  # the end of a program's output marks when it ended
        if reason in ("wrong_answer", "wrong_format") and (jury_first or run.status == "killed"):
            return reason, said, run
        if run.status not in ("ok", "killed"):
            return run.status, run.detail, run
        return reason or "judge_error", said, run


def _cpu(boxes: tuple[Box, ...]) -> float:
    return sum(box.cgroup.cpu_s() for box in boxes if box.cgroup is not None)


def _interrupt(boxes: tuple[Box, ...]) -> None:
    for box in boxes:
        box.interrupt()


def _close(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass
    return None
