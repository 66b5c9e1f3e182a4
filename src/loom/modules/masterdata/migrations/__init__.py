"""Alembic branch "masterdata"."""
