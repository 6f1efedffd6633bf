"""The truth layer: verifiers shared by evaluation, curation and training rewards."""
from .answer_region import AnswerRegion, split_answer_region
from .choice import ShuffledChoices, extract_choice, format_choice_prompt, shuffle_options, verify_choice
from .extract import Extraction, extract_answer
from .math_verifier import verify_aime, verify_math
from .pool import DEFAULT_TIMEOUT_S, VerifierPool, default_pool, verify, verify_batch
from .verdict import REASONS, VERIFIER_VERSION, Verdict

__all__ = [
    "DEFAULT_TIMEOUT_S",
    "VerifierPool",
    "default_pool",
    "verify",
    "verify_batch",
    "AnswerRegion",
    "Extraction",
    "REASONS",
    "VERIFIER_VERSION",
    "Verdict",
    "ShuffledChoices",
    "extract_answer",
    "extract_choice",
    "format_choice_prompt",
    "shuffle_options",
    "verify_choice",
    "split_answer_region",
    "verify_aime",
    "verify_math",
]
