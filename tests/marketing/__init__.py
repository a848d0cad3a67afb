"""Tests of the marketing models."""
