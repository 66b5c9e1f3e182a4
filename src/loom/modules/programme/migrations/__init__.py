"""Alembic branch "programme"."""
