"""Tests of RFM scores and behavioural clusters."""
