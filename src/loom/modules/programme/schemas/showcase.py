"""API shapes of the showcase cases (典型案例)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from loom.kernel.web.inputs import ApiIn
from loom.modules.programme.service.showcase import Case


class FigureIn(ApiIn):
    """A before/after figure the bureau adds to a case; numbers as text, e.g. "82.5"."""

    model_config = ConfigDict(extra="forbid")

    label: str = Field(max_length=60)
    before: str = Field(max_length=20)
    after: str = Field(max_length=20)
    unit: str = Field("", max_length=20)


class WriteUpIn(ApiIn):
    """The bureau's write-up of a case; it replaces the previous one."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field("", max_length=200)
    problem: str = Field("", max_length=2000)
    solution: str = Field("", max_length=2000)
    results: str = Field("", max_length=2000)
    figures: list[FigureIn] = Field(default_factory=list, max_length=8)


class FeatureIn(ApiIn):
    """Show the case as a showcase, or take the mark off."""

    model_config = ConfigDict(extra="forbid")

    featured: bool


class FigureOut(BaseModel):
    """A before/after figure with its change."""

    label: str
    unit: str
    before: Decimal
    after: Decimal
    change: Decimal
    change_percent: Decimal | None = Field(description="change as % of before; null from 0")


class CaseOut(BaseModel):
    """A case: the write-up and what the project's records say."""

    project_id: int
    title: str
    featured: bool
    featured_on: date | None
    enterprise: str
    contractor: str
    sector: str
    batch: str
    honours: list[str]
    accepted_on: date | None
    level_before: int | None
    level_after: int | None
    score_before: Decimal | None
    score_after: Decimal | None
    investment_fen: int
    io_ratio: Decimal | None
    problem: str
    solution: str
    results: str
    figures: list[FigureOut]

    @classmethod
    def of(cls, case: Case) -> CaseOut:
        """Return the API view of a case."""
        row, p = case.showcase, case.project
        return cls(
            project_id=p.id,
            title=case.title,
            featured=case.featured,
            featured_on=row.featured_on if row else None,
            enterprise=case.enterprise,
            contractor=case.contractor,
            sector=p.sector,
            batch=p.batch,
            honours=list(p.honours),
            accepted_on=case.accepted_on,
            level_before=case.before.level if case.before else None,
            level_after=case.after.level if case.after else None,
            score_before=case.before.score if case.before else None,
            score_after=case.after.score if case.after else None,
            investment_fen=case.investment_fen,
            io_ratio=case.io_ratio,
            problem=row.problem if row else "",
            solution=row.solution if row else "",
            results=row.results if row else "",
            figures=[
                FigureOut(
                    label=f.label,
                    unit=f.unit,
                    before=f.before,
                    after=f.after,
                    change=f.change,
                    change_percent=f.change_percent,
                )
                for f in case.figures
            ],
        )


class GalleryOut(BaseModel):
    """The showcases the caller sees; for the bureau also drafts and accepted projects left."""

    cases: list[CaseOut]
    drafts: list[CaseOut]
    candidates: list[int] = Field(description="accepted projects without a write-up")
