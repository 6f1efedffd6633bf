"""Streamlit app over the evals store and the curation workspace, read-only.

    python -m app --db runs/store [--curation runs/curation] [--port 8501]

Pages: Runs (runs x benchmarks), Run detail (breakdowns and plots), Samples (filterable, paginated
sample browser with a trace reader), Compare (two runs, paired tests, side-by-side traces), Curation
(the filter funnel). All SQL is in `app.queries`, charts in `app.charts`, text rendering in
`app.text_render`; `python -m app export` writes one run's browser as a self-contained HTML file.
"""
__all__ = ["queries", "sources", "summaries"]
