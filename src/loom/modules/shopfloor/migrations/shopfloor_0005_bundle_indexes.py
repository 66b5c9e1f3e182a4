"""shopfloor bundles: only the (org_id, number) index leads with org_id

Revision ID: shopfloor_0005
Revises: shopfloor_0004
Create Date: 2026-11-27

Ingest looks a bundle up by (org_id, number). With statistics gathered while another
organisation's few bundles filled the table, PostgreSQL estimated one bundle for this one and
probed the single-column org_id index, filtering every bundle of the organisation by number,
once per number of every batch. The org_id index was redundant (the unique index starts with
org_id), and the index for an order's bundles now leads with the order, so no other index can
answer that lookup. The single-column order_id index, a prefix of the new one, goes too.
"""

from __future__ import annotations

from alembic import op

revision = "shopfloor_0005"
down_revision = "shopfloor_0004"
branch_labels = None
depends_on = None

TABLE = "shopfloor_bundle"


def upgrade() -> None:
    """Drop the org_id and order_id indexes; index an order's bundles by (order_id, org_id)."""
    op.drop_index("ix_shopfloor_bundle_org_id", table_name=TABLE)
    op.drop_index("ix_shopfloor_bundle_order_id", table_name=TABLE)
    op.drop_index("ix_shopfloor_bundle_org_order", table_name=TABLE)
    op.create_index("ix_shopfloor_bundle_order_org", TABLE, ["order_id", "org_id"])


def downgrade() -> None:
    """Restore the three indexes of shopfloor_0001."""
    op.drop_index("ix_shopfloor_bundle_order_org", table_name=TABLE)
    op.create_index("ix_shopfloor_bundle_org_order", TABLE, ["org_id", "order_id"])
    op.create_index("ix_shopfloor_bundle_order_id", TABLE, ["order_id"])
    op.create_index("ix_shopfloor_bundle_org_id", TABLE, ["org_id"])
