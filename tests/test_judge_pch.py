"""The precompiled bits/stdc++.h (evals.judge.pch) with real g++ in the real sandbox.

Evidence that a compile used the .gch is GCC's own: ``-H`` prints ``! PATH.gch`` for a used one
and ``x PATH.gch`` for a refused one. No timings here (scripts/bench_judge.py --cpp has them).
"""
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from evals.judge import pch
from evals.judge.judging import BOX_MEMORY_MB, judge_code, judge_many
from evals.judge.problems import CodeProblem, TestCase
from evals.judge.sandbox import CXX, Box, Limits, check_layers, cxx_argv

pytestmark = [
    pytest.mark.skipif(not check_layers().ok, reason="sandbox layers missing: " + "; ".join(check_layers().problems)),
    pytest.mark.timeout(600),
]
ROOT = Path(__file__).resolve().parents[1]
SUM = CodeProblem("sum", "", [TestCase(f"3\n{i} {i + 1} {i + 2}\n", f"{3 * i + 3}\n") for i in range(4)],
                  time_limit_s=2.0, memory_mb=256)
SOLVE = "int main(){int n;long long s=0,x;std::cin>>n;while(n--){std::cin>>x;s+=x;}std::cout<<s<<'\\n';}\n"
BITS = "#include <bits/stdc++.h>\n" + SOLVE
PLAIN = "#include <iostream>\n" + SOLVE
# a macro the header reads, defined before it: GCC refuses the .gch (it was built without) and reads the text
DEFINED = "#define _GLIBCXX_DEBUG\n#include <bits/stdc++.h>\n" + SOLVE
BROKEN = "#include <bits/stdc++.h>\nusing namespace std;\nint main(){vector<int> v; v.push_back(\"x\"); cout << nope;}\n"


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    """A fresh R1_EVALS_CACHE with the pch built in it (once for the module)."""
    with pytest.MonkeyPatch.context() as patch:
        root = tmp_path_factory.mktemp("pch-cache")
        patch.setenv("R1_EVALS_CACHE", str(root))
        patch.delenv(pch.ENV, raising=False)
        pch._failed.clear()
        assert pch.ensure() is not None, pch.status()
        yield root


def _gcc_says(box: Box, source: str) -> str:
    """The first line of g++ -H for the exact argv Box.build uses for ``source``: which header file it took."""
    box.write("program.cpp", source)
    empty = box.io_dir / "empty.in"
    empty.write_bytes(b"")
    run = box.run("exec", empty, Limits(cpu_s=30, wall_s=60, memory_mb=1024),
                  argv=cxx_argv([*pch.compile_flags(source), "-H"]), keep_scratch=True)
    assert run.status == "ok", run.stderr_tail
    return Path(run.stderr_path).read_text().splitlines()[0]


@pytest.mark.parametrize("source,used,marker", [
    (BITS, True, "! /pch/{key}/bits/stdc++.h.gch"),
    ('// a model\'s comment\n#include "bits/stdc++.h"\n' + SOLVE, True, "! /pch/{key}/bits/stdc++.h.gch"),
    ("  #  include <bits/stdc++.h>\nusing namespace std;\n" + SOLVE, True, "! /pch/{key}/bits/stdc++.h.gch"),
    (DEFINED, True, "x /pch/{key}/bits/stdc++.h.gch"),  # refused: the header's copy beside it is read instead
    ("#define LOCAL\n#include <bits/stdc++.h>\n" + SOLVE, True, "! /pch/{key}/bits/stdc++.h.gch"),  # unread macro
    (PLAIN, False, ". /usr/include/c++/"),  # no bits/stdc++.h: the plain command line
    ("// #include <bits/stdc++.h>\n" + PLAIN, False, ". /usr/include/c++/"),
])
def test_submission_compiles_with_the_pch_when_it_includes_the_header(cache, source, used, marker) -> None:
    key = pch.ensure().name
    with Box(memory_mb=BOX_MEMORY_MB) as box:
        assert box.build(source, "cpp") is None
        assert box.compiled_with_pch is used
        said = _gcc_says(box, source)
    assert said.startswith(marker.format(key=key)), said
    assert pch.compile_flags(source) == (["-isystem", f"/pch/{key}"] if used else [])
    assert judge_code(SUM, source, "cpp").reason == "correct"


def test_a_submission_without_the_header_gets_the_unchanged_command() -> None:
    assert pch.compile_flags(PLAIN) == []
    assert cxx_argv([]) == CXX


def test_a_compile_error_reports_the_plain_compilers_message(cache, monkeypatch) -> None:
    with Box(memory_mb=BOX_MEMORY_MB) as box:
        with_pch = box.build(BROKEN, "cpp")
        assert not box.compiled_with_pch  # the failed pch compile was redone without it
    monkeypatch.setenv(pch.ENV, "0")
    with Box(memory_mb=BOX_MEMORY_MB) as box:
        assert box.pch_mount == []
        plain = box.build(BROKEN, "cpp")
    assert with_pch == plain
    assert "/box/program.cpp:3:" in plain and "from /box/program.cpp:1" in plain and "nope" in plain
    result = judge_code(SUM, BROKEN, "cpp")
    assert result.reason == "compile_error" and result.compile_output == plain


def _damage(gch: Path, how: str, manifest: Path) -> None:
    data = bytearray(gch.read_bytes())
    if how == "flip":  # GCC takes this one silently: only the sha256 check can tell
        data[len(data) // 2: len(data) // 2 + 8] = b"XXXXXXXX"
    else:
        data = data[: len(data) // 2]
    gch.write_bytes(bytes(data))
    if how == "truncate+manifest":  # the check passes; GCC itself fails ("cannot read PCH file")
        record = json.loads(manifest.read_text())
        record.update(sha256=pch._sha256(gch), size=len(data))
        manifest.write_text(json.dumps(record))


@pytest.mark.slow
@pytest.mark.parametrize("how,caught_by_hash", [("flip", True), ("truncate", True), ("truncate+manifest", False)])
def test_a_damaged_gch_is_never_trusted(cache, capfd, how, caught_by_hash) -> None:
    directory = pch.ensure()
    gch, manifest = directory / "bits/stdc++.h.gch", directory / "manifest.json"
    _damage(gch, how, manifest)
    pch._verified.clear()  # as a judge process that starts now
    pch._said.clear()
    with Box(memory_mb=BOX_MEMORY_MB) as box:
        assert box.build(BITS, "cpp") is None
        # caught by the hash: rebuilt before the compile; else g++ failed with it and the plain compile decided
        assert box.compiled_with_pch is caught_by_hash
    err = capfd.readouterr().err
    assert ("sha256 differs" in err) is caught_by_hash
    assert ("g++ failed with the precompiled" in err) is not caught_by_hash
    assert judge_code(SUM, BITS, "cpp").reason == "correct"
    with Box(memory_mb=BOX_MEMORY_MB) as box:  # a good one again (the damaged one was replaced)
        assert box.build(BITS, "cpp") is None and box.compiled_with_pch
    assert pch._intact(directory) and pch._sha256(gch) == json.loads(manifest.read_text())["sha256"]
    assert not [p for p in directory.parent.iterdir() if p.name.startswith((".tmp-", ".bad-"))]


@pytest.mark.slow
def test_threads_of_one_judge_build_once_and_never_wait(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("R1_EVALS_CACHE", str(tmp_path))
    monkeypatch.delenv(pch.ENV, raising=False)
    pch._failed.clear()
    got: list = []
    threads = [threading.Thread(target=lambda: got.append(pch.ensure())) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    built = [d for d in got if d is not None]
    assert len(built) >= 1 and len(set(built)) == 1  # one built it; the others compiled without it meanwhile
    assert pch.ensure() == built[0]
    assert [p.name for p in (tmp_path / "pch").iterdir() if not p.name.startswith(".")] == [built[0].name]
    assert judge_many([(SUM, BITS, "cpp"), (SUM, PLAIN, "cpp")], workers=2)[0].reason == "correct"


_RACE = """
import json, sys
from evals.judge import pch
from evals.judge.judging import judge_code
from evals.judge.problems import CodeProblem, TestCase
sys.stdin.readline()  # all start together
problem = CodeProblem("sum", "", [TestCase("3\\n1 2 3\\n", "6\\n")], time_limit_s=2.0, memory_mb=256)
built = pch.ensure()
print(json.dumps({"built": str(built) if built else None, "reason": judge_code(problem, sys.argv[1], "cpp").reason}))
"""


@pytest.mark.slow
def test_concurrent_first_builds_publish_one_checked_pch(tmp_path) -> None:
    env = {**os.environ, "R1_EVALS_CACHE": str(tmp_path), "PYTHONPATH": str(ROOT)}
    env.pop(pch.ENV, None)
    stale = tmp_path / "pch" / f".tmp-{pch.key()}-killed"  # what a build killed midway leaves
    stale.mkdir(parents=True)
    (stale / "half.gch").write_bytes(b"x" * 1000)
    procs = [subprocess.Popen([sys.executable, "-c", _RACE, BITS], env=env, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    outputs = [p.communicate(timeout=300) for p in procs]
    results = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
    assert [r["reason"] for r in results] == ["correct"] * 3, outputs
    built = {r["built"] for r in results} - {None}
    assert len(built) == 1  # the others compiled without it meanwhile, or found it published
    names = sorted(p.name for p in (tmp_path / "pch").iterdir())
    assert [n for n in names if not n.startswith(".")] == [Path(built.pop()).name]
    assert not [n for n in names if n.startswith((".tmp-", ".bad-"))]
    assert sum("built a precompiled" in err for _, err in outputs) == 1
    directory = tmp_path / "pch" / names[-1]
    assert json.loads((directory / "manifest.json").read_text())["sha256"] == pch._sha256(directory / "bits/stdc++.h.gch")


def test_the_box_cannot_write_the_pch(cache) -> None:
    directory = pch.ensure()
    key = directory.name
    attack = ("import errno\n"
              "mounts = [line.split() for line in open('/proc/self/mountinfo')]\n"
              "print(*[m[5].split(',')[0] for m in mounts if m[4] == '/pch'])\n"
              f"for p in ['/pch/{key}/bits/stdc++.h.gch', '/pch/{key}/x', '/pch/x']:\n"
              "    try:\n        open(p, 'ab').write(b'x')\n        print('wrote', p)\n"
              "    except OSError as e:\n        print('denied' if e.errno in (errno.EROFS, errno.EACCES) else e)\n")
    problem = CodeProblem("w", "", [TestCase("", "ro\ndenied\ndenied\ndenied\n")], time_limit_s=2.0, memory_mb=64)
    result = judge_code(problem, attack, "python")
    assert result.reason == "correct", result.tests
    pch._verified.clear()
    assert pch._intact(directory) and not (directory / "x").exists()


def test_off_and_unwritable_cache_compile_as_before(monkeypatch, tmp_path, capfd) -> None:
    monkeypatch.setenv(pch.ENV, "off")
    assert pch.status().startswith("off") and pch.mount_args() == []
    with Box(memory_mb=BOX_MEMORY_MB) as box:
        assert box.build(BITS, "cpp") is None and not box.compiled_with_pch
    monkeypatch.delenv(pch.ENV)
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("R1_EVALS_CACHE", str(tmp_path / "file" / "cache"))  # mkdir fails under a file
    with Box(memory_mb=BOX_MEMORY_MB) as box:
        assert box.pch_mount == []
        assert box.build(BITS, "cpp") is None and not box.compiled_with_pch
    assert "compiles without it" in capfd.readouterr().err


def test_the_key_follows_the_compiler_flags_and_header(monkeypatch, tmp_path) -> None:
    header = tmp_path / "bits" / "stdc++.h"
    header.parent.mkdir()
    header.write_text("#include <vector>\n")
    monkeypatch.setattr(pch, "_compiler", lambda: ("g++ 12 | cc1plus 1 2", header))
    base = pch.key()
    assert pch.key() == base
    header.write_text("#include <map>\n")
    changed_content = pch.key()
    os.utime(header, ns=(1, 1))
    changed_mtime = pch.key()
    monkeypatch.setattr(pch, "_compiler", lambda: ("g++ 13 | cc1plus 1 2", header))
    changed_compiler = pch.key()
    monkeypatch.setattr("evals.judge.sandbox.CXX", ["/usr/bin/g++", "-O3", *CXX[2:]])
    changed_flags = pch.key()
    assert len({base, changed_content, changed_mtime, changed_compiler, changed_flags}) == 5
