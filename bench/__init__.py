"""Benchmarks (never timed tests). Each module has `main()`; `make bench` runs them all."""
