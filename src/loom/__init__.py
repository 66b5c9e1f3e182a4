"""Loom: a district platform for SME digital transformation on the 1+1+N+X model."""

__version__ = "0.1.0"
