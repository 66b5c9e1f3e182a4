"""Hypothesis property tests of the pure engines, the ingest service and the solvers."""
