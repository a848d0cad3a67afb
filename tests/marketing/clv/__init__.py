"""Tests of the purchase summary, BG/NBD, Gamma-Gamma and lifetime value."""
