"""The tables of revision programme_0001, split by area, and how each is created and dropped."""

# A sub-package, not files beside the revisions: Alembic scans only the version location
# itself (``recursive_version_locations`` is off, see ``loom.kernel.db.migrate``), and a
# file there without a ``revision`` would break the scan.

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from alembic import op


@dataclass(frozen=True)
class Table:
    """One table of the revision: its name, how it is created, its single-column indexes."""

    name: str
    create_table: Callable[[], None]
    indexed: tuple[str, ...]

    def create(self) -> None:
        """Create the table, then its indexes in order."""
        self.create_table()
        for column in self.indexed:
            op.create_index(op.f(f"ix_{self.name}_{column}"), self.name, [column], unique=False)

    def drop(self) -> None:
        """Drop the indexes in reverse order, then the table."""
        for column in reversed(self.indexed):
            op.drop_index(op.f(f"ix_{self.name}_{column}"), table_name=self.name)
        op.drop_table(self.name)
