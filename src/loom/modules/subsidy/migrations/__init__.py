"""Alembic branch "subsidy"."""
