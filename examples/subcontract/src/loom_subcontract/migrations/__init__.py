"""Alembic revisions of the sub-contracting app (branch ``subcontract``)."""
