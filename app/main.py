"""The app's entry script: `streamlit run app/main.py -- --db runs/store` (or `python -m app`)."""
from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

try:
    import app  # noqa: F401  (installed, or run from the repository root)
except ImportError:  # `streamlit run app/main.py` puts app/ itself on sys.path, not the repository
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

HERE = Path(__file__).parent
PAGES = [
    ("views/runs.py", "Runs", "runs"),
    ("views/run_detail.py", "Run detail", "run"),
    ("views/samples.py", "Samples", "samples"),
    ("views/compare.py", "Compare runs", "compare"),
    ("views/curation.py", "Curation", "curation"),
]

st.set_page_config(page_title="r1-evals", layout="wide")
# no icons: Material icons load from fonts.gstatic.com, which an offline machine cannot reach
pages = [st.Page(str(HERE / path), title=title, url_path=url, default=(i == 0))
         for i, (path, title, url) in enumerate(PAGES)]
st.navigation(pages).run()
