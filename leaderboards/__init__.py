"""Leaderboards: our numbers beside the DeepSeek-R1 paper's.

    python -m leaderboards build --db runs/store --output runs/leaderboards   # md, html, csv
    python -m leaderboards reference                                          # the paper's numbers

Reads an evals store (results and run manifests through evals.store; metrics are evals.metrics'
estimates, never re-estimated here), puts each number beside the paper's (Tables 2, 4, 5, kept in
leaderboards/data/paper_tables.json with their table, column and row), and renders Markdown, a
static sortable HTML page and CSV. Nothing heavy is imported here, so `--help` stays instant.
"""
__all__ = ["build", "compare", "measured", "reference", "render", "tables"]  # submodules; entry: build.build
