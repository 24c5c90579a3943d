"""Benchmarks: measured budgets, run by hand or `make bench`, never as timed tests."""
