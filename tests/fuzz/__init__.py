"""Schemathesis over the assembled API (see docs/fuzzing.md)."""
