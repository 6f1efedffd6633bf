"""evals: verifiers, benchmarks, backends and the store for reasoning-model evaluation.

Nothing heavy is imported here, so ``python -m evals --help`` stays instant.
"""
__version__ = "0.1.0"
