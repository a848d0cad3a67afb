"""Tests of lead scoring."""
