"""Loom benchmarks: run with ``make bench`` or ``python -m bench`` from the repository root."""
