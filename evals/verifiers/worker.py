"""A verifier worker process: ``python -m evals.verifiers.worker FD MEMORY_MB``.

Started by ``VerifierPool``; reads (kind, completion, reference, options) from
the socket FD and answers with (Verdict, retire). ``retire`` is True when the
verifier left a thread running (a proof abandoned at its budget, see
math_numeric.prove_zero): the pool then replaces this process, so the stray
computation never slows the next check. Runs under an address-space rlimit so
that an answer like ``(2^{2^{30}})!`` fails here instead of swapping the host.
Both ends of the socket are our own processes, so pickled frames are trusted.
"""
from __future__ import annotations

import resource
import sys
import threading
import traceback
from multiprocessing.connection import Connection
from typing import Any

from .math_numeric import PROOF_THREAD
from .registry import VERIFIERS, resolve
from .verdict import failure


def serve(conn: Connection, memory_mb: int) -> None:
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    for kind in VERIFIERS:  # import everything before saying ready
        resolve(kind)
    conn.send("ready")
    while True:
        try:
            kind, completion, reference, opts = conn.recv()
        except EOFError:
            return
        try:
            result: Any = resolve(kind)(completion, reference, **opts)
        except MemoryError:
            result = failure("unparseable", details={"error": "MemoryError: the answer is too large to evaluate"})
        except RecursionError:
            result = failure("unparseable", details={"error": "RecursionError: the answer nests too deeply"})
        except Exception as exc:  # a verifier bug must not kill the batch; report it
            result = failure("verifier_error", details={"error": repr(exc), "traceback": traceback.format_exc(-3)})
        conn.send((result, any(t.name == PROOF_THREAD for t in threading.enumerate())))


if __name__ == "__main__":
    serve(Connection(int(sys.argv[1])), int(sys.argv[2]))
