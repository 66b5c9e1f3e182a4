"""Tables of the assessment module: rule-set versions, assessments and evidence files."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    ForeignKeyConstraint,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from loom.kernel.db.base import Base, TenantOwned, utcnow


class RuleSetVersion(Base):
    """One published version of a national rule set (shared by every organisation)."""

    __tablename__ = "assessment_ruleset"
    __table_args__ = (UniqueConstraint("standard", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)  # e.g. 2024-manufacturing.v1
    standard: Mapped[str] = mapped_column(String(60))
    version: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(200))
    # Kept as text: numbers such as band edges (10.01) and points (1.875) must stay exact,
    # and a JSON column would turn them into floats.
    document_json: Mapped[str] = mapped_column(Text)
    builtin: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(String(500), default="")
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by: Mapped[str] = mapped_column(String(200), default="")

    @property
    def document(self) -> dict[str, Any]:
        """Return the rule-set document with exact (Decimal) numbers."""
        parsed: dict[str, Any] = json.loads(self.document_json, parse_float=Decimal)
        return parsed


def dump_document(document: dict[str, Any]) -> str:
    """Serialise a rule-set document without losing the exactness of its numbers."""
    return json.dumps(document, ensure_ascii=False, sort_keys=True, default=_exact)


def _exact(value: object) -> object:
    if isinstance(value, Decimal):
        # json writes this float's repr; Decimal -> str -> float keeps the written digits.
        return float(str(value))
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


class Assessment(TenantOwned, Base):
    """A questionnaire about one enterprise (``org_id``), possibly written by an assessor."""

    __tablename__ = "assessment_assessment"
    __table_args__ = (UniqueConstraint("id", "org_id"),)
    # The assessor organisation of an on-site assessment reads and writes it too.
    __participant_columns__ = ("assessor_org_id",)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # self | onsite
    phase: Mapped[str] = mapped_column(String(10))  # before | after
    title: Mapped[str] = mapped_column(String(200), default="")
    assessed_on: Mapped[date] = mapped_column()
    status: Mapped[str] = mapped_column(String(10), default="draft")  # draft | submitted
    ruleset_id: Mapped[int] = mapped_column(ForeignKey("assessment_ruleset.id"))
    questionnaire: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    score: Mapped[float | None] = mapped_column(Numeric(6, 2, asdecimal=False), default=None)
    level: Mapped[int | None] = mapped_column(default=None)
    assessor_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("tenancy_organisation.id", ondelete="SET NULL"), default=None, index=True
    )
    created_by: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(String(2000), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)


class EvidenceFile(TenantOwned, Base):
    """A file attached to one answer (indicator or scene) of an assessment."""

    __tablename__ = "assessment_evidence"
    __table_args__ = (
        ForeignKeyConstraint(
            ["assessment_id", "org_id"],
            ["assessment_assessment.id", "assessment_assessment.org_id"],
            ondelete="CASCADE",
        ),
    )
    __participant_columns__ = ("assessor_org_id",)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(index=True)
    assessor_org_id: Mapped[int | None] = mapped_column(default=None)
    item_id: Mapped[str] = mapped_column(String(10))  # B1…R4 or S01…S16
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[str] = mapped_column(String(200), default="")
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
