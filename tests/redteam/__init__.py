"""Hostile programs for the code judge (one file each) and their runner; see run_suite.py."""
