"""Pytest fixtures and contract suites for Loom itself and for third-party app authors."""
