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
