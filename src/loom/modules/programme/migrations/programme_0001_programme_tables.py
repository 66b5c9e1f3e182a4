"""programme tables

Revision ID: programme_0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

from loom.modules.programme.migrations.programme_0001_parts import tables_contractors as contractors
from loom.modules.programme.migrations.programme_0001_parts import tables_pilots as pilots
from loom.modules.programme.migrations.programme_0001_parts import tables_registry as registry

revision = "programme_0001"
down_revision = None
branch_labels = ("programme",)
depends_on = ("k0001", "assessment_0001")

#: creation order: each table after those its foreign keys point to; dropped in reverse
TABLES = (
    contractors.CONTRACTOR_APPLICATION,
    registry.ENTERPRISE,
    registry.LIST,
    registry.PLAN,
    contractors.PRODUCT,
    registry.SCENARIO,
    contractors.CONTRACTOR_SCORE,
    registry.NEED,
    pilots.PILOT_APPLICATION,
    contractors.PRODUCT_MARK,
    pilots.PROJECT,
    pilots.ACCEPTANCE,
    pilots.INVESTMENT,
    pilots.ONSITE_RESULT,
    pilots.PILOT_SCORE,
    pilots.TRANSITION,
)


def upgrade() -> None:
    """Apply this revision."""
    for table in TABLES:
        table.create()


def downgrade() -> None:
    """Revert this revision."""
    for table in reversed(TABLES):
        table.drop()
