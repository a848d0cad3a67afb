"""Tests of the benchmarks' code paths on tiny generated data."""
