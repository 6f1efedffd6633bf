"""Entry point: ``python -m evals --help``."""
import sys

from .cli import main

sys.exit(main())
