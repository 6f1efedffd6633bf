"""Rejection-sampling curation over DuckDB: prompts -> samples -> verdicts -> filters -> selection -> export."""
