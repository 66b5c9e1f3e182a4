"""A small seeded programme whose analytics are worked out by hand in the tests.

Rows are inserted directly (the services that make them have their own tests), so each figure
can be checked against arithmetic done on paper. Bureau ``hs``, contractors (cont.) A and B:

=======  =========  =======  =====  =============  ======  =====  =======  =======  ============
project  sector     batch    cont.  status         before  after  awarded  paid     scenarios
=======  =========  =======  =====  =============  ======  =====  =======  =======  ============
P1       apparel    batch-1  A      accepted       1       2      200,000  200,000  N SC-01
P2       apparel    batch-1  A      accepted       1       3      300,000  100,000  N SC-01 X SC-09
P3       apparel    batch-2  A      accepted       2       2      100,000  0        X SC-09
P4       nev_parts  batch-2  B      accepted       0       2      400,000  400,000  N SC-01
P5       apparel    batch-2  B      onsite_review  1       —      150,000  0        —
P6       apparel    batch-1  —      withdrawn      1       2      80,000   0        N SC-01
=======  =========  =======  =====  =============  ======  =====  =======  =======  ============

P4's enterprise also has a cancelled award of 50,000 (with 50,000 "paid" on it before the
cancellation), which never counts. P6 is withdrawn: it is no longer a pilot and never counts.
Amounts in CNY. E1 and E2 (P1, P2's enterprises) have Loom organisations ``hs-e1``/``hs-e2``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import OrgKind, Role
from loom.modules.programme.models import (
    Acceptance,
    Enterprise,
    InvestmentLine,
    OnsiteResult,
    Project,
    Scenario,
    Transition,
)
from loom.modules.programme.registry.creditcode import make_code
from loom.modules.subsidy.models import Award, Payment
from loom.testing.factory import Factory, OrgRef

API = "/api/v1/programme"
PAGES = "/apps/programme"
CNY = 100  # fen

#: key -> sector, batch, contractor, status, level before, after, awarded and paid CNY, N, X
PROJECTS: dict[
    str, tuple[str, str, str | None, str, int | None, int | None, int, int, list[str], list[str]]
] = {
    "P1": ("apparel", "batch-1", "A", "accepted", 1, 2, 200_000, 200_000, ["SC-01"], []),
    "P2": ("apparel", "batch-1", "A", "accepted", 1, 3, 300_000, 100_000, ["SC-01"], ["SC-09"]),
    "P3": ("apparel", "batch-2", "A", "accepted", 2, 2, 100_000, 0, [], ["SC-09"]),
    "P4": ("nev_parts", "batch-2", "B", "accepted", 0, 2, 400_000, 400_000, ["SC-01"], []),
    "P5": ("apparel", "batch-2", "B", "onsite_review", 1, None, 150_000, 0, [], []),
    "P6": ("apparel", "batch-1", None, "withdrawn", 1, 2, 80_000, 0, ["SC-01"], []),
}
#: registry keys of the enterprises that have a Loom organisation of their own
LINKED = ("P1", "P2")


@dataclass
class Seeded:
    """The bureau, its contractors and enterprises, a logged-in bureau client, the ids."""

    bureau: OrgRef
    contractors: dict[str, OrgRef]
    enterprise_orgs: dict[str, OrgRef]
    client: TestClient
    projects: dict[str, int]


def _award(
    session: Session, bureau: OrgRef, enterprise_id: int, project_id: int, cny: int, paid: int
) -> Award:
    award = Award(
        org_id=bureau.id,
        rule_id="pilot-project",
        rules_version="haishu-2024.v1",
        beneficiary_kind="enterprise",
        enterprise_id=enterprise_id,
        project_id=project_id,
        amount_fen=cny * CNY,
        split={},
        limit_applied="share",
        facts={},
    )
    session.add(award)
    session.flush()
    if paid:
        session.add(
            Payment(
                org_id=bureau.id,
                award_id=award.id,
                funder="central",
                amount_fen=paid * CNY,
                paid_on=date(2025, 3, 1),
            )
        )
    return award


def _results(session: Session, project: Project, before: int | None, after: int | None) -> None:
    for phase, level in (("before", before), ("after", after)):
        if level is None:
            continue
        session.add(
            OnsiteResult(
                org_id=project.org_id,
                project_id=project.id,
                enterprise_org_id=project.enterprise_org_id,
                contractor_org_id=project.contractor_org_id,
                phase=phase,
                assessment_id=1,
                level=level,
                # 20 points per level plus 5, so the score moves with the level
                score=Decimal(20 * level + 5),
                rules_version="2024-manufacturing.v1",
                assessed_on=date(2024, 3, 1) if phase == "before" else date(2024, 11, 1),
            )
        )


def _project(session: Session, s: Seeded, key: str, n: int) -> int:
    sector, batch, contractor, status, before, after, awarded, paid, n_sc, x_sc = PROJECTS[key]
    bureau = s.bureau
    org = s.enterprise_orgs.get(key)
    entry = Enterprise(
        org_id=bureau.id,
        name=f"{bureau.slug}-{key} 服饰有限公司",
        credit_code=make_code(f"91330203MA2{bureau.id:02d}{n:03d}"),
        sector=sector,
        size="above",
        enterprise_org_id=org.id if org else None,
    )
    session.add(entry)
    session.flush()
    project = Project(
        org_id=bureau.id,
        enterprise_id=entry.id,
        enterprise_org_id=entry.enterprise_org_id,
        contractor_org_id=s.contractors[contractor].id if contractor else None,
        title=f"{bureau.slug}-{key} 数字化改造",
        sector=sector,
        batch=batch,
        status=status,
        n_scenarios=n_sc,
        x_scenarios=x_sc,
    )
    session.add(project)
    session.flush()
    _results(session, project, before, after)
    _award(session, bureau, entry.id, project.id, awarded, paid)
    if key == "P4":
        cancelled = _award(session, bureau, entry.id, project.id, 50_000, 50_000)
        cancelled.status = "cancelled"
    if status == "accepted":
        parties = {
            "enterprise_org_id": project.enterprise_org_id,
            "contractor_org_id": project.contractor_org_id,
        }
        session.add(
            Transition(
                org_id=bureau.id,
                project_id=project.id,
                action="accept",
                from_status="onsite_review",
                to_status="accepted",
                at=datetime(2024, 12, 20, 9, tzinfo=UTC),
                **parties,
            )
        )
        session.add(
            Acceptance(
                org_id=bureau.id,
                project_id=project.id,
                effect_score=80,
                integration_score=75,
                reform_score=70,
                io_ratio=Decimal("1.35"),
                decision="pass",
                reasons="达到二级",
                **parties,
            )
        )
        session.add(
            InvestmentLine(
                org_id=bureau.id,
                project_id=project.id,
                category="software",
                description="MES",
                amount_fen=600_000 * CNY,
                **parties,
            )
        )
    session.flush()
    return project.id


def seed(factory: Factory, slug: str = "hs") -> Seeded:
    """Create the bureau ``slug`` with a manager, contractors A and B, and the table's rows."""
    bureau = factory.org(f"{slug}-bureau", OrgKind.BUREAU, name=f"{slug} 经信局")
    contractors = {
        key: factory.org(
            f"{slug}-maker-{key.lower()}", OrgKind.CONTRACTOR, name=f"{slug} 总包{key}"
        )
        for key in ("A", "B")
    }
    enterprise_orgs = {
        key: factory.org(f"{slug}-e{key[1:]}", OrgKind.ENTERPRISE, name=f"{slug} 企业{key}")
        for key in LINKED
    }
    factory.user(f"{slug}-clerk", (bureau, Role.MANAGER))
    s = Seeded(bureau, contractors, enterprise_orgs, factory.client(f"{slug}-clerk"), {})
    with session_scope(factory.runtime.session_factory) as session:
        for code, title in (("SC-01", "计划排产"), ("SC-09", "质量追溯")):
            session.add(
                Scenario(org_id=bureau.id, code=code, title=title, sector="apparel", stage="x")
            )
        s.projects = {key: _project(session, s, key, n) for n, key in enumerate(PROJECTS)}
    return s
