"""Recommender benchmark on UCI Online Retail (protocol in ../shared/data/README.md)."""
