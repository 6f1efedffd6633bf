"""Verifier functions that misbehave on purpose, for the pool tests (resolved by dotted path)."""
import os
import time

from evals.verifiers import Verdict


def crash(completion, reference, **_):
    os._exit(3)  # the worker dies without answering


def sleep(completion, reference, **_):
    time.sleep(float(reference))
    return Verdict(True, "correct", extracted=completion)


def hog_memory(completion, reference, **_):
    blocks = [bytearray(256 * 1024 * 1024) for _ in range(64)]  # 16 GB: the rlimit stops it
    return Verdict(True, "correct", details={"blocks": len(blocks)})


def abandon_proof(completion, reference, **_):
    """Leaves a thread running, as math_numeric.prove_zero does when a proof runs out of budget."""
    import threading

    from evals.verifiers.math_numeric import PROOF_THREAD

    threading.Thread(target=time.sleep, args=(60,), name=PROOF_THREAD, daemon=True).start()
    return Verdict(True, "correct", details={"pid": os.getpid()})


def pid(completion, reference, **_):
    return Verdict(True, "correct", details={"pid": os.getpid()})


def busy_sleep(completion, reference, **_):
    """Sleeps like `sleep`, with a file named after this worker's pid while it works (in
    $POOL_BUSY_DIR), so a fault-injection test knows whether the worker it hits is busy."""
    marker = os.path.join(os.environ["POOL_BUSY_DIR"], str(os.getpid()))
    with open(marker, "w") as f:
        f.write(completion)
    try:
        time.sleep(float(reference))
    finally:
        os.unlink(marker)
    return Verdict(True, "correct", extracted=completion)
