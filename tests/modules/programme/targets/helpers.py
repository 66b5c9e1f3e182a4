"""A small seeded programme whose dashboard figures are worked out by hand in the tests.

Rows are inserted directly (the services that make them have their own tests), with known
dates, so every figure can be checked against a count done on paper.

Bureau ``hs`` (the built-in plan, programme start 2023-09-01):

===========  ========  =====  =========================  =====  =======================
enterprise   sector    size   level (known on)           cloud  smart factory named on
===========  ========  =====  =========================  =====  =======================
E1           apparel   above  2 (2024-05-01)             yes    2024-06-01
E2           apparel   above  3 (2024-08-01)             yes    2023-05-01 (before start)
E3           apparel   above  1 (2024-03-01)             yes    —
E4           apparel   above  —                          yes    —
E5           apparel   above  2 (2025-03-01)             no     —
E6           apparel   below  3 (2024-01-01)             yes    2025-02-01
E7           other     above  3 (2024-01-01)             yes    —
E8           home_app. below  —                          no     —
===========  ========  =====  =========================  =====  =======================

All projects are of batch 1 (the plan's first batch, due 2024-12-31):

=======  ==========  ===============  ===========  ===================================
project  enterprise  sector           status       accept step (UTC)
=======  ==========  ===============  ===========  ===================================
P1       E1          apparel          accepted     2024-06-15; municipal sample 11-01
P2       E2          apparel          accepted     2024-09-30
P3       E3          apparel          accepted     2024-12-31 23:30 (the deadline day)
P4       E8          home_appliances  accepted     2024-12-31 08:00
P5       E4          apparel          accepted     2025-01-02 (late)
P6       E6          apparel          in_progress  —
=======  ==========  ===============  ===========  ===================================

Products of contractor ``hs-maker``: created 2023-01-01 (before start), 2024-03-01,
2024-10-01, 2025-02-01, and one created 2024-05-01 then withdrawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import OrgKind, Role
from loom.kernel.web.i18n import Catalogues
from loom.kernel.web.templating import KERNEL_TRANSLATIONS
from loom.modules.programme.app import HERE
from loom.modules.programme.models import Enterprise, Product, Project, Transition
from loom.modules.programme.registry.creditcode import make_code
from loom.testing.factory import Factory, OrgRef

API = "/api/v1/programme"
PAGES = "/apps/programme"
CATALOGUES = Catalogues([KERNEL_TRANSLATIONS, HERE / "translations"])


def zh(msgid: str, **params: Any) -> str:
    """Return the Chinese text of ``msgid``; a missing translation fails the test."""
    text = CATALOGUES.gettext("zh_CN", msgid)
    assert text != msgid, f"no zh_CN translation for {msgid!r}"
    return text % params if params else text


def utc(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """Return an aware UTC time."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@dataclass
class Seeded:
    """The bureau, its contractor, a logged-in bureau client and the ids of the seeded rows."""

    bureau: OrgRef
    maker: OrgRef
    client: TestClient
    enterprises: dict[str, int]
    projects: dict[str, int]
    products: dict[str, int]


#: key -> sector, size, digital level, the day it was known, cloud, smart factory named on
ENTERPRISES: dict[str, tuple[str, str, int | None, date | None, bool, date | None]] = {
    "E1": ("apparel", "above", 2, date(2024, 5, 1), True, date(2024, 6, 1)),
    "E2": ("apparel", "above", 3, date(2024, 8, 1), True, date(2023, 5, 1)),
    "E3": ("apparel", "above", 1, date(2024, 3, 1), True, None),
    "E4": ("apparel", "above", None, None, True, None),
    "E5": ("apparel", "above", 2, date(2025, 3, 1), False, None),
    "E6": ("apparel", "below", 3, date(2024, 1, 1), True, date(2025, 2, 1)),
    "E7": ("other", "above", 3, date(2024, 1, 1), True, None),
    "E8": ("home_appliances", "below", None, None, False, None),
}
#: key -> enterprise, sector, status (all of batch 1), the time of its accept step
PROJECTS: dict[str, tuple[str, str, str, datetime | None]] = {
    "P1": ("E1", "apparel", "accepted", utc(2024, 6, 15)),
    "P2": ("E2", "apparel", "accepted", utc(2024, 9, 30)),
    "P3": ("E3", "apparel", "accepted", utc(2024, 12, 31, 23, 30)),
    "P4": ("E8", "home_appliances", "accepted", utc(2024, 12, 31, 8)),
    "P5": ("E4", "apparel", "accepted", utc(2025, 1, 2)),
    "P6": ("E6", "apparel", "in_progress", None),
}
MUNICIPAL = {"P1": utc(2024, 11, 1)}
PRODUCTS = {
    "old": (utc(2023, 1, 1), "published"),
    "A": (utc(2024, 3, 1), "published"),
    "B": (utc(2024, 10, 1), "published"),
    "C": (utc(2025, 2, 1), "published"),
    "gone": (utc(2024, 5, 1), "withdrawn"),
}


def _enterprise(session: Session, bureau: OrgRef, key: str, n: int) -> int:
    sector, size, level, level_on, cloud, smart = ENTERPRISES[key]
    row = Enterprise(
        org_id=bureau.id,
        name=f"{bureau.slug}-{key} 服饰有限公司",
        credit_code=make_code(f"91330203MA2{bureau.id:02d}{n:03d}"),
        sector=sector,
        size=size,
        town="石碶街道",
        cloud=cloud,
        digital_level=level,
        level_source="recorded" if level is not None else "",
        level_on=level_on,
        smart_factory_on=smart,
    )
    session.add(row)
    session.flush()
    return row.id


def _project(session: Session, bureau: OrgRef, key: str, enterprise_id: int) -> int:
    _, sector, status, accepted_at = PROJECTS[key]
    project = Project(
        org_id=bureau.id,
        enterprise_id=enterprise_id,
        title=f"{bureau.slug}-{key} 数字化改造",
        sector=sector,
        batch="batch-1",
        status=status,
    )
    session.add(project)
    session.flush()
    steps = [
        ("accept", "onsite_review", accepted_at),
        ("designate_municipal_sample", "accepted", MUNICIPAL.get(key)),
    ]
    for action, from_status, at in steps:
        if at is not None:
            session.add(
                Transition(
                    org_id=bureau.id,
                    project_id=project.id,
                    action=action,
                    from_status=from_status,
                    to_status="accepted",
                    at=at,
                )
            )
    session.flush()
    return project.id


def seed(factory: Factory, slug: str = "hs") -> Seeded:
    """Create a bureau with a manager, a contractor, and the rows of the module docstring."""
    bureau = factory.org(f"{slug}-bureau", OrgKind.BUREAU, name=f"{slug} 经信局")
    maker = factory.org(f"{slug}-maker", OrgKind.CONTRACTOR, name=f"{slug} 数智科技")
    factory.user(f"{slug}-clerk", (bureau, Role.MANAGER))
    with session_scope(factory.runtime.session_factory) as session:
        enterprises = {
            key: _enterprise(session, bureau, key, n) for n, key in enumerate(ENTERPRISES)
        }
        projects = {
            key: _project(session, bureau, key, enterprises[spec[0]])
            for key, spec in PROJECTS.items()
        }
        products = {}
        for key, (created, status) in PRODUCTS.items():
            product = Product(
                org_id=maker.id,
                name=f"{slug} 产品{key}",
                price_fen=980_000,
                delivery_weeks=2,
                deployment="cloud",
                scenes={"S09": 2},
                status=status,
                created_at=created,
            )
            session.add(product)
            session.flush()
            products[key] = product.id
    return Seeded(bureau, maker, factory.client(f"{slug}-clerk"), enterprises, projects, products)


def by_id(payload: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return the KPI payload's targets by id."""
    return {t["id"]: t for t in payload["targets"]}
