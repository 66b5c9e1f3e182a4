"""The small demo: one organisation of each kind and one login per role (browser tests use it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from loom.apps.equipment.service.seed import seed_equipment
from loom.apps.quality.service.catalogue import seed_common as seed_defect_catalogue
from loom.demo.accounts import (
    DEMO_PASSWORD,
    LOGINS,
    ORGANISATIONS,
    DemoLogin,
    bound,
    ensure_logins,
    ensure_organisations,
)
from loom.kernel.authz.guard import system_scope
from loom.kernel.tenancy.models import Organisation
from loom.modules.programme.seed import seed_programme
from loom.modules.shopfloor.engine.events import LOCAL_TZ
from loom.modules.shopfloor.seed import seed_shopfloor
from loom.modules.subsidy.seed import seed_subsidies


def seed_demo(
    session: Session, password: str = DEMO_PASSWORD, *, secret_key: str = ""
) -> list[DemoLogin]:
    """Create the demo organisations and users once; running it again changes nothing.

    With the server's ``secret_key`` the garment factory also gets this morning's signed scans.
    """
    orgs = ensure_organisations(session, ORGANISATIONS)
    ensure_logins(session, orgs, LOGINS, password)
    seed_programme(session, orgs)
    seed_subsidies(session, orgs["haishu-bureau"])
    today = datetime.now(LOCAL_TZ).date()
    factory = orgs["yongfeng-apparel"]
    seed_shopfloor(session, factory, secret_key=secret_key, today=today)
    seed_equipment(session, factory, today=today)
    seed_defects(session, factory)
    return list(LOGINS)


def seed_defects(session: Session, org: Organisation) -> None:
    """Give the factory the common garment defects (codes it already has are left alone)."""
    with bound(session, system_scope(org.id, org.kind, "demo-seed")) as scope:
        seed_defect_catalogue(session, scope)
