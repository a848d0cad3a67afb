"""Tests of the shared tabular training code."""
