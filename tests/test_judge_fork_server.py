"""The fork server's start-up and per-test sweep (issue 20): the harness starts with ``-S`` (the host's
.pth files never run in a box), yet a program sees what ``site`` gives it under a plain ``python -I``;
every test still gets a fresh random seed; processes a test leaves behind are gone before the next.
Real sandbox, real interpreter: each probe runs in a box and on the host, and both must agree."""
import subprocess
from pathlib import Path

import pytest

from evals.judge.sandbox import Box, Limits, check_layers, python_binary

LAYERS = check_layers()
needs_sandbox = pytest.mark.skipif(not LAYERS.ok, reason="sandbox layers missing: " + "; ".join(LAYERS.problems))
pytestmark = [pytest.mark.timeout(300), needs_sandbox]
LIMITS = Limits(cpu_s=5, wall_s=10, memory_mb=256)

# (name, program, stdin): what site provides, as a program sees it
PROBES = [
    ("exit-code", "exit(3)\n", ""),
    ("quit", "print('before'); quit()\nprint('never')\n", ""),
    ("exit-message", "exit('bye')\n", ""),
    ("site-names", "print(*(type(builtins.__dict__[n]).__name__ for n in "
                   "('exit', 'quit', 'help', 'copyright', 'credits', 'license')))\nprint(repr(exit), repr(quit))\n", ""),
    ("interactive-hook", "import sys\nprint(callable(getattr(sys, '__interactivehook__', None)))\n", ""),
    ("site-packages-on-path", "import site, sys\nprint([p for p in site.getsitepackages() if p in sys.path])\n", ""),
    ("import-from-site-packages", "import typing_extensions\nprint(typing_extensions.__name__)\n", ""),
    ("threads-joined-at-exit", "import threading, time\n"
                               "def late():\n    time.sleep(0.05)\n    print('late', flush=True)\n"
                               "threading.Thread(target=late).start()\nprint('early', flush=True)\n", ""),
    ("daemon-thread-not-joined", "import threading, time\n"
                                 "threading.Thread(target=lambda: (time.sleep(5), print('never')), daemon=True).start()\n"
                                 "print('done')\n", ""),
    ("stdin-echo", "print(input()[::-1])\n", "abc\n"),
]


def _in_box(box: Box, code: str, stdin: str) -> tuple[str, str, int | None]:
    assert box.build(code, "python") is None
    path = box.io_dir / "probe.in"
    path.unlink(missing_ok=True)
    path.write_text(stdin)
    run = box.run_program(path, LIMITS)
    out, err = Path(run.stdout_path).read_text(), Path(run.stderr_path).read_text()
    box.discard()
    return out, err, run.exit_code


@pytest.fixture(scope="module")
def box():
    with Box(memory_mb=512) as b:
        yield b


@pytest.mark.parametrize("name,code,stdin", PROBES, ids=[p[0] for p in PROBES])
def test_a_program_sees_what_site_gives_under_plain_python(box, tmp_path, name, code, stdin):
    source = tmp_path / "probe.py"
    source.write_text("import builtins\n" + code)
    host = subprocess.run([python_binary(), "-I", str(source)], input=stdin, capture_output=True, text=True,
                          timeout=60, cwd=tmp_path)
    out, err, exit_code = _in_box(box, "import builtins\n" + code, stdin)
    assert (out, exit_code) == (host.stdout, host.returncode), (err, host.stderr)
    if name == "exit-message":
        assert err.strip() == host.stderr.strip() == "bye"


def test_the_hosts_pth_files_never_run_in_a_box(box):
    # under -I the host's site-packages .pth files import threading and more into every interpreter;
    # the fork server starts with -S, so a program that imports nothing finds none of that
    out, err, exit_code = _in_box(box, "import sys\nprint(sys.flags.no_site, 'threading' in sys.modules)\n", "")
    assert (out, exit_code) == ("1 False\n", 0), err


def test_every_test_gets_a_fresh_random_seed(box):
    # the prelude star-imports random; its after-fork hook reseeds each forked test from the OS
    code = "import random as r\nprint(randint(0, 10**18), random.random(), r.getrandbits(64))\n"
    assert box.build(code, "python") is None
    path = box.io_dir / "empty.in"
    path.write_bytes(b"")
    outputs = []
    for _ in range(4):
        run = box.run_program(path, LIMITS)
        assert run.status == "ok", run.stderr_tail
        outputs.append(Path(run.stdout_path).read_text())
        box.discard()
    assert len(set(outputs)) == 4


def test_processes_a_test_leaves_behind_are_gone_before_the_next(box):
    # test 1 leaves a daemonised sleeper (own session, parent gone); test 2 looks for it in /proc
    leave = ("import subprocess, os\n"
             "if os.fork() == 0:\n    os.setsid()\n    subprocess.Popen(['/bin/sleep', '300'])\n    os._exit(0)\n"
             "os.wait()\nprint('left')\n")
    out, err, _ = _in_box(box, leave, "")
    assert out == "left\n", err
    look = ("import os\nme = os.getpid()\nfound = []\nfor p in os.listdir('/proc'):\n"
            "    if p.isdigit() and int(p) != me:\n"
            "        try:\n            found.append(open(f'/proc/{p}/cmdline', 'rb').read().split(b'\\0')[0].decode())\n"
            "        except OSError:\n            pass\n"
            "print(sorted(c for c in found if 'sleep' in c))\n")
    out, err, _ = _in_box(box, look, "")
    assert out == "[]\n", err
