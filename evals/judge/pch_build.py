"""Build the precompiled bits/stdc++.h in a sandbox, check it, publish it atomically (see ``evals.judge.pch``).

    from evals.judge.pch_build import build
    error = build(key, directory)     # None once DIRECTORY/bits/stdc++.h.gch is published
"""
from __future__ import annotations

import datetime
import json
import os
import shutil
import tempfile
from pathlib import Path

from evals.judge import pch
from evals.judge.sandbox import CXX, SIDE_FILE, Box, Limits, SandboxCrash

# A .gch is ~100 MB and GCC needs ~350 MB to write it: it goes to a host file (fd 3), not the scratch tmpfs.
BUILD_LIMITS = Limits(cpu_s=60, wall_s=240, memory_mb=1024, output_bytes=1 << 30, processes=32)
PROBE = "#include <bits/stdc++.h>\nint main() { std::vector<int> v{3, 1, 2}; std::sort(v.begin(), v.end()); return v[0] - 1; }\n"


def build(key: str, directory: Path) -> str | None:
    """Compile the system header into ``directory`` (absent); the reason on failure, else None."""
    _, header = pch._compiler()
    tmp = Path(tempfile.mkdtemp(dir=directory.parent, prefix=f".tmp-{key}-"))
    try:
        tmp.chmod(0o755)  # the boxes' unprivileged uid reads it
        (tmp / "bits").mkdir()
        shutil.copyfile(header, tmp / pch.HEADER)  # GCC reads this instead when it refuses the .gch
        with Box(memory_mb=BUILD_LIMITS.memory_mb) as box:
            empty = box.io_dir / "empty.in"
            empty.write_bytes(b"")
            # from the header's own path: diagnostics through the .gch name the files they always did
            argv = [CXX[0], *pch._flags(), "-x", "c++-header", "-o", SIDE_FILE, str(header)]
            run = box.run("exec", empty, BUILD_LIMITS, argv=argv, side_file=True)
            if run.status != "ok" or not run.result_path:
                return f"g++ {run.status} {run.detail}: {run.stderr_tail[-1500:]}"
            gch = tmp / (pch.HEADER + ".gch")
            shutil.copyfile(run.result_path, gch)
            box.discard()
            (tmp / "manifest.json").write_text(json.dumps({
                "sha256": pch._sha256(gch), "size": gch.stat().st_size, "header": str(header),
                "compiler": pch._compiler()[0], "flags": pch._flags(),
                "built": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}, indent=1))
            error = _probe(box, tmp)
            if error:
                return error
        os.rename(tmp, directory)  # atomic: a judge sees no directory or a checked one
        return None
    except (OSError, SandboxCrash) as exc:
        return f"{type(exc).__name__}: {exc}"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _probe(box: Box, tmp: Path) -> str | None:
    """GCC inside a box must take the new .gch (``-H`` marks a used one with ``!``) and the program must run."""
    box.write("probe.cpp", PROBE)
    empty = box.io_dir / "empty.in"
    gch = f"{pch.MOUNT}/{tmp.name}/{pch.HEADER}.gch"
    argv = [CXX[0], *pch._flags(), "-isystem", f"{pch.MOUNT}/{tmp.name}", "-H", "-Winvalid-pch",
            "-o", "/work/probe", "/box/probe.cpp"]
    run = box.run("exec", empty, BUILD_LIMITS, argv=argv, keep_scratch=True)
    said = Path(run.stderr_path).read_text(errors="replace")
    if run.status != "ok" or not said.startswith(f"! {gch}\n"):
        return f"a probe compile did not use the new .gch ({run.status}): {said[:1000]}"
    run = box.run("exec", empty, BUILD_LIMITS, argv=["/work/probe"])
    return None if run.status == "ok" else f"the probe program built with the .gch failed: {run.status} {run.detail}"
