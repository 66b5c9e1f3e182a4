"""The pilots' transformation projects, replayed through the lifecycle to every status.

Each project is opened, given its parties and contract, assessed on site before it starts,
planned by its enterprise from that baseline, built by its contractor, assessed again and
decided by the bureau: as far as its target status asks. Dates are the plan's: batch 1 in 2024,
batch 2 in 2025; steps are staggered by a few days so the timelines are not all alike.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from loom.demo.accounts import scope_of
from loom.demo.registry import Firm
from loom.demo.selection import contractor_of
from loom.kernel.tenancy.models import Organisation
from loom.kernel.tenancy.scope import Scope
from loom.modules.assessment.planner.samples import sample_answers, sample_answers_after
from loom.modules.assessment.service import assessments
from loom.modules.programme.models import Enterprise, PilotApplication
from loom.modules.programme.service import lifecycle, projects
from loom.modules.programme.service.onsite import Evaluation, record_onsite
from loom.modules.programme.service.planning import plan_project

SEED = 2027
RESUMED = "resumed"  # in progress again after a rectification
#: target status and honours per pilot of batch 1, in the registry's order (23 apparel, 1 home
#: appliance): 21 accepted, one in rectification, one resumed after it, one withdrawn
BATCH_1: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("accepted", ("regional_sample", "municipal_sample")),
    ("accepted", ()),
    ("accepted", ("regional_sample",)),
    ("accepted", ("regional_sample", "municipal_sample", "benchmark")),
    *(("accepted", ()),) * 16,
    ("rectification", ()),
    (RESUMED, ()),
    ("withdrawn", ()),
    ("accepted", ("regional_sample",)),
)
#: batch 2: 25 apparel (the demo factories first), then six NEV parts makers
BATCH_2: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (status, ())
    for status in (
        "in_progress", "approved", "onsite_review",
        *("accepted",) * 6, *("acceptance_requested",) * 3, *("onsite_review",) * 2,
        *("in_progress",) * 4, *("approved",) * 2, *("applied",) * 3, "rectification", "withdrawn",
        "accepted", "accepted", "in_progress", "in_progress", "acceptance_requested", "applied",
    )
)  # fmt: skip
#: the order in which statuses are reached; a target reaches every step up to its own
STEPS = ("applied", "approved", "in_progress", "acceptance_requested", "onsite_review", "decided")
#: each batch's calendar: day of each step (the k-th pilot is k % 10 days later)
CALENDAR = {
    "batch-1": {
        "approve": date(2024, 6, 18),
        "before": date(2024, 7, 2),
        "start": date(2024, 7, 10),
        "request": date(2024, 10, 15),
        "after": date(2024, 11, 1),
        "review": date(2024, 11, 5),
        "decide": date(2024, 11, 20),
        "honour": date(2024, 12, 5),
    },
    "batch-2": {
        "approve": date(2025, 2, 18),
        "before": date(2025, 3, 4),
        "start": date(2025, 3, 12),
        "request": date(2025, 9, 16),
        "after": date(2025, 10, 9),
        "review": date(2025, 10, 14),
        "decide": date(2025, 11, 18),
        "honour": date(2025, 12, 10),
    },
}
INVESTMENTS = (
    ("software", "产线数字化管理软件及实施"),
    ("hardware", "车间网络、扫码终端与数据采集"),
    ("services", "咨询诊断与培训服务"),
    ("cloud", "产业大脑云服务（首年）"),
)


@dataclass(frozen=True)
class Target:
    """Where one pilot's project is to end up."""

    status: str
    honours: tuple[str, ...]

    def reaches(self, step: str) -> bool:
        """Return whether the project goes through ``step``."""
        final = {"accepted": "decided", "rectification": "decided", RESUMED: "decided"}
        final["withdrawn"] = "in_progress"
        last = final.get(self.status, self.status)
        return STEPS.index(step) <= STEPS.index(last)


def targets(firms: list[Firm]) -> dict[int, Target]:
    """Return each pilot's target by registry index (batch plans in the registry's order)."""
    found: dict[int, Target] = {}
    for batch, plan in (("batch-1", BATCH_1), ("batch-2", BATCH_2)):
        pilots = [f for f in firms if f.batch == batch]
        assert len(pilots) == len(plan), (batch, len(pilots), len(plan))
        for firm, (status, honours) in zip(pilots, plan, strict=True):
            found[firm.index] = Target(status, honours)
    return found


def _answers(rng: random.Random, after: bool, passing: bool) -> dict[str, Any]:
    """Return a questionnaire: the sample SME's, varied a little per enterprise."""
    q = sample_answers_after() if after and passing else sample_answers()
    devices = rng.randint(100, 220)
    digital = rng.randint(12, 30) if not after else rng.randint(45, 90)
    q["answers"]["B2"] = {"production_devices": devices, "digital_devices": digital}
    if after and passing and rng.random() < 0.4:
        q["answers"]["R4"] = "B"  # the transformation also shows in the new-product rate
    if after and not passing:
        # some scenes improved, not enough of them: still level 1, hence the rectification
        q["scenes"].update({"S04": 2, "S06": 2})
    return q


def _assess(
    session: Session, assessor: Scope, org_id: int, phase: str, day: date, q: dict[str, Any]
) -> int:
    made = assessments.create(
        session,
        assessor,
        phase=phase,
        assessed_on=day,
        title="改造后现场评定" if phase == "after" else "改造前现场评估",
        enterprise_org_id=org_id,
    )
    assessments.save_answers(session, assessor, made.id, q["answers"], q["scenes"])
    return assessments.submit(session, assessor, made.id).id


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 30, tzinfo=UTC)


@dataclass
class _Run:
    """One project being replayed: its id and the scopes of its parties."""

    session: Session
    project_id: int
    office: Scope

    def step(self, scope: Scope, action: str, day: date, reason: str = "") -> None:
        lifecycle.transition(
            self.session,
            scope,
            self.project_id,
            action,
            reason=reason,
            today=day,
            when=_at(day),
        )


def seed_projects(
    session: Session,
    office: Scope,
    orgs: dict[str, Organisation],
    firms: list[tuple[Firm, Enterprise]],
    applications: dict[int, PilotApplication],
) -> int:
    """Open and replay every pilot's project; return how many were opened."""
    rng = random.Random(SEED)
    plan = targets([f for f, _e in firms])
    assessor = scope_of(orgs["kepu-assess"], "assessor")
    opened = 0
    for firm, entry in firms:
        if firm.batch is None or firm.slug is None:
            continue
        position = sum(1 for f, _e in firms[: firm.index] if f.batch == firm.batch)
        calendar = {k: v + timedelta(days=position % 10) for k, v in CALENDAR[firm.batch].items()}
        _replay(
            session,
            office,
            assessor,
            orgs,
            firm,
            applications[entry.id],
            plan[firm.index],
            calendar,
            rng,
        )
        opened += 1
    return opened


def _replay(
    session: Session,
    office: Scope,
    assessor: Scope,
    orgs: dict[str, Organisation],
    firm: Firm,
    application: PilotApplication,
    target: Target,
    day: dict[str, date],
    rng: random.Random,
) -> None:
    assert firm.slug is not None
    org = orgs[firm.slug]
    contractor = contractor_of(orgs, firm)
    builder = scope_of(contractor, "contractor")
    project = projects.create(session, office, application_id=application.id)
    run = _Run(session, project.id, office)
    if not target.reaches("approved"):
        return
    amounts = [rng.randint(18, 60) * 10_000_00 // 2 for _ in INVESTMENTS]
    codes = [p for p in ("C-LINE", "C-APS", "C-CUT", "C-WMS") if rng.random() < 0.6] or ["C-LINE"]
    projects.update(
        session,
        office,
        project.id,
        projects.ProjectChanges(
            contractor_org_id=contractor.id,
            assessor_org_id=orgs["kepu-assess"].id,
            contract_no=f"HS-SZ-{day['approve'].year}-{project.id:03d}",
            contract_signed_on=day["approve"] - timedelta(days=5),
            contract_amount_fen=sum(amounts),
            n_scenarios=codes if firm.sector == "apparel" else [],
        ),
    )
    run.step(office, "approve", day["approve"])
    if not target.reaches("in_progress"):
        return
    before = _assess(session, assessor, org.id, "before", day["before"], _answers(rng, False, True))
    record_onsite(session, assessor, project.id, before)
    plan_project(session, scope_of(org, "enterprise"), project.id, before)
    run.step(builder, "start", day["start"])
    if target.status == "withdrawn":
        run.step(
            office, "withdraw", day["start"] + timedelta(days=60), "企业经营调整，申请退出试点"
        )
        return
    if not target.reaches("acceptance_requested"):
        return
    for (category, text), amount in zip(INVESTMENTS, amounts, strict=True):
        projects.add_investment(
            session, builder, project.id, category=category, description=text, amount_fen=amount
        )
    run.step(builder, "request_acceptance", day["request"])
    if not target.reaches("onsite_review"):
        return
    passing = target.status not in ("rectification", RESUMED)
    after = _assess(session, assessor, org.id, "after", day["after"], _answers(rng, True, passing))
    record_onsite(session, assessor, project.id, after)
    run.step(office, "begin_review", day["review"])
    if not target.reaches("decided"):
        return
    _decide(session, office, run, target, day, rng)


def _decide(
    session: Session,
    office: Scope,
    run: _Run,
    target: Target,
    day: dict[str, date],
    rng: random.Random,
) -> None:
    passing = target.status == "accepted"
    evaluation = Evaluation(
        effect_score=rng.randint(74, 92) if passing else 58,
        integration_score=rng.randint(70, 90) if passing else 55,
        reform_score=rng.randint(68, 88) if passing else 60,
        io_ratio=Decimal(rng.randint(115, 190)) / 100 if passing else Decimal("0.85"),
        decision="pass" if passing else "rectify",
        reasons="改造成效明显，数据贯通良好" if passing else "数字化水平未达二级，需整改",
    )
    lifecycle.decide(
        session, office, run.project_id, evaluation, today=day["decide"], when=_at(day["decide"])
    )
    if target.status == RESUMED:
        run.step(office, "resume", day["decide"] + timedelta(days=14))
    for n, honour in enumerate(target.honours):
        run.step(office, f"designate_{honour}", day["honour"] + timedelta(days=7 * n), "样本遴选")
