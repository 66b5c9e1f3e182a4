"""A small district for the brain's tests: a bureau, six enterprises, output in two weeks.

Weeks W1 (Monday 2026-03-09) and W2 (2026-03-16). Finished garments per local day come from
the line counters (``shopfloor.output_pieces``); "shares" is the output consent.

====  ==========  ========  ==========  ==================  =====================
org   sector      town      shares      W1 output           W2 output
====  ==========  ========  ==========  ==================  =====================
E1    apparel     古林镇    daily       03-10: 100          03-17: 110
E2    apparel     古林镇    weekly      03-10: 200          03-17: 220
E3    apparel     高桥镇    daily       03-11: 300          03-18: 330
E4    nev_parts   高桥镇    weekly      03-11: 400          —
E5    apparel     高桥镇    (never)     03-10: 5 000        03-17: 5 000
E6    (not in the registry) daily       03-12: 50           03-19: 60
====  ==========  ========  ==========  ==================  =====================

Whole district, W1: 100 + 200 + 300 + 400 + 50 = 1 050 from five enterprises; W2: 110 + 220
+ 330 + 60 = 720 from four; the span: 1 770 from five. E5's 5 000 a week never counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from loom.kernel.authz.guard import system_scope
from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import OrgKind, Role
from loom.kernel.tenancy.scope import Scope
from loom.modules.brain.service.consent import set_consent
from loom.modules.programme.models.registry import Enterprise
from loom.modules.shopfloor.engine.events import LOCAL_TZ
from loom.modules.shopfloor.models import LineHour
from loom.testing.factory import Factory, OrgRef

W1, W2 = date(2026, 3, 9), date(2026, 3, 16)
START, END = W1, date(2026, 3, 22)
METRIC = "shopfloor.output_pieces"
ROWS = {
    # name: (sector, town, output consent, {day of March: pieces})
    "E1": ("apparel", "古林镇", "daily", {10: 100, 17: 110}),
    "E2": ("apparel", "古林镇", "weekly", {10: 200, 17: 220}),
    "E3": ("apparel", "高桥镇", "daily", {11: 300, 18: 330}),
    "E4": ("nev_parts", "高桥镇", "weekly", {11: 400}),
    "E5": ("apparel", "高桥镇", "none", {10: 5000, 17: 5000}),
    "E6": ("", "", "daily", {12: 50, 19: 60}),
}


@dataclass(frozen=True)
class District:
    """The bureau and the enterprises by name."""

    bureau: OrgRef
    orgs: dict[str, OrgRef]

    def reader(self) -> Scope:
        """Return a bureau scope that reads the brain."""
        return system_scope(self.bureau.id, OrgKind.BUREAU, "test")


def enterprise_scope(org: OrgRef) -> Scope:
    """Return a scope acting for one enterprise."""
    return system_scope(org.id, OrgKind.ENTERPRISE, "test")


def share(factory: Factory, org: OrgRef, category: str, granularity: str) -> None:
    """Set one enterprise's consent for one category."""
    with session_scope(factory.runtime.session_factory) as s:
        set_consent(s, enterprise_scope(org), category, granularity)


def seed_district(factory: Factory) -> District:
    """Create the district above, with a bureau user ``bea`` and enterprise admins."""
    bureau = factory.org("bureau", OrgKind.BUREAU, name="海曙区经信局")
    factory.user("bea", (bureau, Role.MEMBER))
    orgs = {name: factory.org(name.lower(), OrgKind.ENTERPRISE, name=name) for name in ROWS}
    with session_scope(factory.runtime.session_factory) as s:
        for n, (name, (sector, town, _consent, output)) in enumerate(ROWS.items(), start=1):
            org = orgs[name]
            if sector:
                s.add(
                    Enterprise(
                        org_id=bureau.id,
                        name=name,
                        credit_code=f"91330203MA2H{n:06d}",
                        sector=sector,
                        size="above",
                        town=town,
                        enterprise_org_id=org.id,
                    )
                )
            for day, qty in output.items():
                noon = datetime(2026, 3, day, 12, tzinfo=LOCAL_TZ)
                s.add(LineHour(org_id=org.id, line_id=0, hour=noon, output_qty=qty))
    for name, (_sector, _town, consent, _output) in ROWS.items():
        if consent != "none":
            share(factory, orgs[name], "output", consent)
    return District(bureau, orgs)
