"""Entry point: ``python -m evals --help``."""
import sys

from .cli import main

# The guard matters: vLLM starts worker processes by spawning, which re-imports this module.
if __name__ == "__main__":
    sys.exit(main())
