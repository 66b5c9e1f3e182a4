"""Alembic revisions of the balancing app (branch ``balancing``)."""
