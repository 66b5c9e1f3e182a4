"""API shapes of the programme analytics; ratios come exact ("1/2") and rounded ("0.50")."""

from __future__ import annotations

from fractions import Fraction

from pydantic import BaseModel, Field

from loom.modules.programme.engine import rounded
from loom.modules.programme.service.analytics import AnalyticsReport
from loom.modules.programme.service.analytics_figures import LEVELS, Effect, LevelGroup, Pilot


def _exact(value: Fraction | None) -> str | None:
    return None if value is None else str(value)


def _round(value: Fraction | None, places: int = 2) -> str | None:
    return None if value is None else str(rounded(value, places))


class DistributionOut(BaseModel):
    """Measured pilots per level (0 = not graded) before and after."""

    before: dict[str, int]
    after: dict[str, int]
    measured: int = Field(description="pilots with an on-site level before and after")
    improved: int = Field(description="of them, those that gained at least one level")
    share_improved: str | None = Field(description="improved / measured, exact")
    percent_improved: str | None = Field(description="the same as a percentage, 1 decimal")


class GroupOut(BaseModel):
    """Pilots of one batch and sector; an empty batch or sector means all of them."""

    batch: str
    sector: str
    pilots: int
    measured: int
    improved: int
    levels_gained: int
    share_improved: str | None
    mean_before: str | None = Field(description="exact mean level before")
    mean_after: str | None = Field(description="exact mean level after")

    @classmethod
    def of(cls, g: LevelGroup) -> GroupOut:
        """Return the API view of a group."""
        return cls(
            batch=g.batch,
            sector=g.sector,
            pilots=g.pilots,
            measured=g.measured,
            improved=g.improved,
            levels_gained=g.levels_gained,
            share_improved=_exact(g.share_improved),
            mean_before=_exact(g.mean_before),
            mean_after=_exact(g.mean_after),
        )


class EffectOut(BaseModel):
    """Levels gained against subsidy for a contractor, a scenario or the programme."""

    kind: str = Field(description="contractor; N or X for a scenario; empty for none/total")
    key: str = Field(description="the contractor's organisation id, or the scenario code")
    name: str
    projects: int
    measured: int
    levels_gained: int
    awarded_fen: int
    paid_fen: int
    unmeasured_awarded_fen: int = Field(description="awarded to projects not yet assessed")
    per_100k_awarded: str | None = Field(description="levels per 100,000 CNY awarded, 2 dp")
    per_100k_awarded_exact: str | None
    per_100k_paid: str | None = Field(description="levels per 100,000 CNY paid, 2 dp")
    per_100k_paid_exact: str | None

    @classmethod
    def of(cls, e: Effect, name: str) -> EffectOut:
        """Return the API view of an effect."""
        return cls(
            kind=e.key[0],
            key=e.key[1],
            name=name,
            projects=e.projects,
            measured=e.measured,
            levels_gained=e.levels_gained,
            awarded_fen=e.awarded_fen,
            paid_fen=e.paid_fen,
            unmeasured_awarded_fen=e.unmeasured_awarded_fen,
            per_100k_awarded=_round(e.per_100k_awarded),
            per_100k_awarded_exact=_exact(e.per_100k_awarded),
            per_100k_paid=_round(e.per_100k_paid),
            per_100k_paid_exact=_exact(e.per_100k_paid),
        )


class PilotOut(BaseModel):
    """One pilot's project with its levels and subsidy."""

    project_id: int
    title: str
    enterprise: str
    batch: str
    sector: str
    status: str
    contractor_org_id: int | None
    scenarios: list[str] = Field(description='"N:code" or "X:code"')
    before: int | None
    after: int | None
    gained: int | None
    awarded_fen: int
    paid_fen: int

    @classmethod
    def of(cls, p: Pilot) -> PilotOut:
        """Return the API view of a pilot."""
        return cls(
            project_id=p.project_id,
            title=p.title,
            enterprise=p.enterprise,
            batch=p.batch,
            sector=p.sector,
            status=p.status,
            contractor_org_id=p.contractor_org_id,
            scenarios=[f"{kind}:{code}" for kind, code in p.scenarios],
            before=p.before,
            after=p.after,
            gained=p.gained,
            awarded_fen=p.awarded_fen,
            paid_fen=p.paid_fen,
        )


class AnalyticsOut(BaseModel):
    """The bureau's programme analytics, narrowed by batch and sector."""

    batch: str
    sector: str
    distribution: DistributionOut
    groups: list[GroupOut]
    contractors: list[EffectOut]
    scenarios: list[EffectOut]
    total: EffectOut
    pilots: list[PilotOut]

    @classmethod
    def of(cls, report: AnalyticsReport) -> AnalyticsOut:
        """Return the API view of a report."""
        d = report.distribution

        def name(e: Effect) -> str:
            kind, key = e.key
            if kind == "contractor":
                return report.contractor_names.get(key, "")
            return report.scenario_titles.get(key, "")

        return cls(
            batch=report.filters.batch,
            sector=report.filters.sector,
            distribution=DistributionOut(
                before={str(level): d.before[level] for level in LEVELS},
                after={str(level): d.after[level] for level in LEVELS},
                measured=d.measured,
                improved=d.improved,
                share_improved=_exact(d.share_improved),
                percent_improved=_round(d.share_improved * 100, 1)
                if d.share_improved is not None
                else None,
            ),
            groups=[GroupOut.of(g) for g in report.groups],
            contractors=[EffectOut.of(e, name(e)) for e in report.contractors],
            scenarios=[EffectOut.of(e, name(e)) for e in report.scenarios],
            total=EffectOut.of(report.total, ""),
            pilots=[PilotOut.of(p) for p in report.pilots],
        )
