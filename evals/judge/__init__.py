"""The code judge: runs a program on a code problem's tests in a sandbox (``python -m evals judge``).

Three things in this project are called a judge; only this package is the code judge:
- the code judge (here): compiles and runs programs under bubblewrap, cgroups and seccomp
  (``sandbox.py``, ``judging.py``), plus Codeforces ratings from its results (``rating.py``);
- the verifier kind ``code`` (evals.verifiers.registry): this judge seen as a verifier, a completion
  in and a ``Verdict`` out (``verifier.py``), for evaluation, curation and the GRPO reward alike;
- the LLM judge (curation/llm_judge.py, ``python -m curation judge``): a language model grading
  free-form answers in curation; it runs no code.

Submodules are imported explicitly; nothing is imported here so the package stays light.
"""

__all__: list[str] = []
