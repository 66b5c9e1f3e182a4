"""shopfloor event and counter tables: the organisation's cascade by trigger, not foreign key

Revision ID: shopfloor_0004
Revises: shopfloor_0003
Create Date: 2026-11-28

Ingest writes a thousand event rows and a few hundred counter rows per batch. PostgreSQL checks a
foreign key once per inserted row (a query of the organisation row, locking it FOR KEY SHARE):
measured in process, a quarter of PostgreSQL's CPU per ingested event. These six tables are
written only by ingest, the quarantine's fix and the rebuild, always under a scope minted for an
existing organisation (and on PostgreSQL the kernel checks a COPY's owner, row-level security
every other write), so the key adds no protection there. What it did besides, deleting the
rows with their organisation, a row trigger on the organisation table now does.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "shopfloor_0004"
down_revision = "shopfloor_0003"
branch_labels = None
depends_on = None

#: the tables ingest writes on every batch
HOT = (
    "shopfloor_event",
    "shopfloor_op_count",
    "shopfloor_line_hour",
    "shopfloor_operator_hour",
    "shopfloor_operator_day",
    "shopfloor_operator_day_op",
)
TRIGGER = "trg_tenancy_organisation_drop_shopfloor_rows"
_DONE_INDEX = "ux_shopfloor_event_done"
_DONE_WHERE = "kind = 'done' AND status = 'applied'"


def _fk(table: str) -> str:
    return f"fk_{table}_org_id_tenancy_organisation"


def _partial_done_index() -> None:
    """Create the unique index of applied "done"s again, partial, after a SQLite table copy."""
    op.drop_index(_DONE_INDEX, table_name="shopfloor_event", if_exists=True)
    op.create_index(
        _DONE_INDEX,
        "shopfloor_event",
        ["org_id", "bundle_id", "operation_id"],
        unique=True,
        sqlite_where=sa.text(_DONE_WHERE),
    )


def upgrade() -> None:
    """Drop the six tables' foreign keys to the organisation; delete their rows by trigger."""
    postgresql = op.get_bind().dialect.name == "postgresql"
    deletes = " ".join(f"DELETE FROM {table} WHERE org_id = OLD.id;" for table in HOT)  # noqa: S608 - constant names  # nosec B608
    if postgresql:
        for table in HOT:
            op.drop_constraint(_fk(table), table, type_="foreignkey")
        op.execute(
            "CREATE FUNCTION shopfloor_drop_org_rows() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {deletes} RETURN OLD; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {TRIGGER} AFTER DELETE ON tenancy_organisation "
            "FOR EACH ROW EXECUTE FUNCTION shopfloor_drop_org_rows()"
        )
        return
    # SQLite cannot drop a constraint: batch mode copies each table into a new one without it
    for table in HOT:
        with op.batch_alter_table(table, recreate="always") as batch:
            batch.drop_constraint(_fk(table), type_="foreignkey")
    # the copy must keep the unique index of applied "done"s partial, whatever reflection gives
    _partial_done_index()
    op.execute(
        f"CREATE TRIGGER {TRIGGER} AFTER DELETE ON tenancy_organisation FOR EACH ROW "
        f"BEGIN {deletes} END"
    )


def downgrade() -> None:
    """Give the six tables their foreign keys to the organisation back."""
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.execute(f"DROP TRIGGER {TRIGGER}" + (" ON tenancy_organisation" if postgresql else ""))
    if postgresql:
        op.execute("DROP FUNCTION shopfloor_drop_org_rows()")
        for table in HOT:
            op.create_foreign_key(
                _fk(table), table, "tenancy_organisation", ["org_id"], ["id"], ondelete="CASCADE"
            )
        return
    for table in HOT:
        with op.batch_alter_table(table, recreate="always") as batch:
            batch.create_foreign_key(
                _fk(table), "tenancy_organisation", ["org_id"], ["id"], ondelete="CASCADE"
            )
    _partial_done_index()
