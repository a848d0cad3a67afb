"""Benchmarks: not tests; each prints a table beside baselines measured in the same run."""
