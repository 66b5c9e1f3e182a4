"""Declarative base with a naming convention and the tenant mixin."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar

from sqlalchemy import ColumnElement, DateTime, ForeignKey, Integer, MetaData, TypeDecorator, or_
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Store aware datetimes; SQLite drops the zone, so we put UTC back on read."""

    impl = DateTime(timezone=True)
    cache_ok = True

    @property
    def python_type(self) -> type[datetime]:
        """Return ``datetime`` (exports and imports rely on it)."""
        return datetime

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        # PostgreSQL answers in the session's time zone; hashes and exports expect UTC.
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Root of every Loom table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


class TenantOwned:
    """Mixin for rows owned by one organisation: they carry ``org_id`` and are scope-filtered.

    A record that belongs to several parties by design (an on-site assessment written by an
    assessor about an enterprise) names the extra organisation columns in
    ``__participant_columns__``; those organisations see and may change the row too, through
    the same scope machinery.
    """

    __tenant_owned__ = True
    __participant_columns__: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def visible_to(cls, org_id: int) -> ColumnElement[bool]:
        """Return the condition selecting rows that ``org_id`` owns or takes part in."""
        condition: ColumnElement[bool] = cls.org_id == org_id
        for name in cls.__participant_columns__:
            condition = or_(condition, getattr(cls, name) == org_id)
        return condition

    def involves(self, org_id: int) -> bool:
        """Return whether ``org_id`` owns this row or takes part in it."""
        return self.org_id == org_id or any(
            getattr(self, name) == org_id for name in self.__participant_columns__
        )

    @declared_attr
    def org_id(cls) -> Mapped[int]:  # noqa: N805 - declared_attr receives the class
        return mapped_column(
            Integer, ForeignKey("tenancy_organisation.id", ondelete="CASCADE"), index=True
        )


class Timestamped:
    """Mixin adding creation and update times."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
