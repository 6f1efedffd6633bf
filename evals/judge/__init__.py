"""Judges that turn per-problem verdicts into headline numbers (e.g. ``evals.judge.rating``).

Submodules are imported explicitly; nothing is imported here so the package stays light.
"""

__all__: list[str] = []
