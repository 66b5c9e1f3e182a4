"""shopfloor reference-data token: a table and the triggers that move it

Revision ID: shopfloor_0002
Revises: shopfloor_0001
Create Date: 2026-11-27

Ingest keeps the bundles, orders, routings, operations, piece rates, operators, workstations and
line plans it has read, per organisation, and trusts them while this token stands still. The
token moves in the database itself, by trigger, so no writer (ORM, bulk statement, another
process, a hand-written fix) can change those tables and leave a stale copy behind. Each change
sets a fresh random token rather than adding one: a counter could come back to a value an old
copy holds after its row was deleted (an organisation emptied and seeded again).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "shopfloor_0002"
down_revision = "shopfloor_0001"
branch_labels = None
depends_on = ("masterdata_0004",)

#: the tables ``service.resolve.load_context`` reads
WATCHED = (
    "shopfloor_bundle",
    "shopfloor_order",
    "masterdata_routing_step",
    "masterdata_operation",
    "masterdata_piece_rate",
    "masterdata_operator",
    "masterdata_workstation",
    "masterdata_line_plan",
)
EVENTS = ("insert", "update", "delete")

# The join on the organisation skips rows an organisation's own deletion cascades to: the
# token row would otherwise name an organisation that is gone, and fail its foreign key.
_SQLITE_TRIGGER = """
CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW
WHEN EXISTS (SELECT 1 FROM tenancy_organisation WHERE id = {row}.org_id)
BEGIN
    INSERT INTO shopfloor_ref_version (org_id, token) VALUES ({row}.org_id, random())
    ON CONFLICT (org_id) DO UPDATE SET token = excluded.token;
END
"""
# One statement-level trigger per table and event on PostgreSQL: a cutting plan inserts its
# bundles by the thousand, and a row-level trigger would rewrite the token row for each.
_PG_FUNCTION = """
CREATE FUNCTION shopfloor_move_ref_token() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO shopfloor_ref_version (org_id, token)
    SELECT o.id, (random() * 9.0e18)::bigint
    FROM tenancy_organisation o WHERE o.id IN (SELECT org_id FROM changed)
    ORDER BY o.id
    ON CONFLICT (org_id) DO UPDATE SET token = excluded.token;
    RETURN NULL;
END
$$
"""
_PG_TRIGGER = """
CREATE TRIGGER {name} AFTER {event} ON {table}
REFERENCING {side} TABLE AS changed
FOR EACH STATEMENT EXECUTE FUNCTION shopfloor_move_ref_token()
"""


def _name(table: str, event: str) -> str:
    return f"trg_{table}_ref_{event}"


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "shopfloor_ref_version",
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["tenancy_organisation.id"],
            name=op.f("fk_shopfloor_ref_version_org_id_tenancy_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("org_id", name=op.f("pk_shopfloor_ref_version")),
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        op.execute(_PG_FUNCTION)
    for table in WATCHED:
        for event in EVENTS:
            name = _name(table, event)
            if postgresql:
                side = "OLD" if event == "delete" else "NEW"
                sql = _PG_TRIGGER.format(name=name, event=event.upper(), table=table, side=side)
            else:
                row = "OLD" if event == "delete" else "NEW"
                sql = _SQLITE_TRIGGER.format(name=name, event=event.upper(), table=table, row=row)
            op.execute(sql)


def downgrade() -> None:
    """Revert this revision."""
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in WATCHED:
        for event in EVENTS:
            suffix = f" ON {table}" if postgresql else ""
            op.execute(f"DROP TRIGGER IF EXISTS {_name(table, event)}{suffix}")
    if postgresql:
        op.execute("DROP FUNCTION IF EXISTS shopfloor_move_ref_token()")
    op.drop_table("shopfloor_ref_version")
