"""A toy verifier kind for tests/test_registry.py, registered there by adding one `VerifierKind`
record to the registry (resolved in the pool's workers by its "module:function" target).

It takes no `think_prefilled` and no `require_evaluated`: a site that passes an option the kind's
record does not declare makes the call fail (`verifier_error`), so the test sees it.
"""
from evals.verifiers.verdict import Verdict, failure


def verify_shout(completion: str, reference: str, *, finish_reason: str | None = None) -> Verdict:
    """Correct when the answer after the last </think> is the reference word in capitals."""
    if finish_reason == "length" or "</think>" not in completion:
        return failure("truncated")
    answer = completion.rpartition("</think>")[2].strip()
    if not answer:
        return failure("no_answer")
    if answer == reference.upper():
        return Verdict(True, "correct", extracted=answer, method="shout")
    return failure("wrong_answer", extracted=answer, method="shout")
