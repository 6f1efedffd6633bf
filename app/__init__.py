"""Streamlit app over the evals store and the curation workspace, read-only.

    python -m app --db runs/store [--curation runs/curation] [--port 8501]

Pages: Runs (runs x benchmarks), Run detail (breakdowns and plots), Samples (filterable, paginated
sample browser), Compare (two runs), Curation (the filter funnel). All SQL is in `app.queries`.
"""
__all__ = ["queries", "sources", "summaries"]
