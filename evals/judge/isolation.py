"""Does the code sandbox really isolate on this machine? What `python -m evals judge --check` prints.

    from evals.judge.isolation import isolation_report
    report = isolation_report()      # {"bwrap": ..., "cgroup": ..., "seccomp": ..., "filter_probe": {...}, "ok": ...,
                                     #  "cpp_pch": "ready: ..." (the precompiled bits/stdc++.h, evals.judge.pch)}

The layers (bubblewrap, cgroups, the uid drop, seccomp) are looked for, then the seccomp filter is
probed from inside a box: each guarded call must fail with the errno the filter promises. A Ray sandbox
actor runs this once on its node and refuses to start when "ok" is false.
"""
from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from . import pch, seccomp


def probe_filter() -> dict:
    """Run ``seccomp.PROBE`` in a box; the cgroup parents made for it are removed afterwards."""
    from .cgroups import find_cgroups
    from .sandbox import Box, Limits

    parent = find_cgroups()
    try:
        with Box(memory_mb=256) as box:
            error = box.build(seccomp.PROBE, "python")
            if error:
                return {"error": error}
            (box.io_dir / "empty.in").write_bytes(b"")
            run = box.run_program(box.io_dir / "empty.in", Limits(cpu_s=5, wall_s=10, memory_mb=256))
            out = Path(run.stdout_path).read_text()
            return json.loads(out) if run.status == "ok" else {"error": f"{run.status}: {run.stderr_tail[-500:]}"}
    finally:
        parent.release()


def isolation_report() -> dict[str, Any]:
    """Each layer as found here, its problems, the filter probe (when the layers are there) and "ok"."""
    from .sandbox import check_layers

    layers = check_layers()
    report = {**asdict(layers), "ok": layers.ok, "cpp_pch": pch.status()}  # a speed-up only: "ok" ignores it
    if layers.ok:  # the filter as a program in a box sees it: each guarded call and its errno
        report["filter_probe"] = probe_filter()
        report["ok"] = report["filter_probe"] == seccomp.EXPECTED
        if not report["ok"]:
            report["problems"] = [f"the seccomp filter does not hold inside a box: {report['filter_probe']}"]
    return report
