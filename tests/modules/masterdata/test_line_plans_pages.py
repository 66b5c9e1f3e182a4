"""The line detail page shows the published plan; a manager withdraws it after confirming."""

from __future__ import annotations

from fastapi.testclient import TestClient

from loom.kernel.tenancy.models import Role
from loom.kernel.web.i18n import LOCALE_COOKIE
from loom.testing.factory import Factory, OrgRef
from tests.modules.masterdata.helpers import API
from tests.modules.masterdata.pages.helpers import zh
from tests.modules.masterdata.test_line_plans import publish, seed_floor

PAGES = "/apps/masterdata"


def test_the_line_page_shows_who_does_what(admin: TestClient) -> None:
    floor = seed_floor(admin)
    page = admin.get(f"{PAGES}/lines/{floor.line}").text
    assert zh("No plan is published to this line: scans are not checked against one.") in page
    publish(admin, floor)
    page = admin.get(f"{PAGES}/lines/{floor.line}").text
    assert zh("Published line plan") in page
    # 600,000 / 12,000 = 50 garments per hour
    assert zh("planned %(pieces)s garments per hour", pieces="50.0") in page
    admin.cookies.set(LOCALE_COOKIE, "en")
    page = admin.get(f"{PAGES}/lines/{floor.line}").text
    assert "Version 1 · style SH 男士衬衫 · from balancing plan 7 · published" in page
    assert page.count('data-testid="plan-row"') == 2  # two stations
    assert "<code>OP-B</code> B (1/2)" in page  # B is split between the two operators
    assert 'data-testid="withdraw-plan"' in page


def test_withdrawing_asks_first_and_needs_the_write_permission(
    factory: Factory, factory_org: OrgRef, admin: TestClient
) -> None:
    floor = seed_floor(admin)
    publish(admin, floor)
    factory.user("vic", (factory_org, Role.VIEWER))
    viewer = factory.client("vic")
    assert 'data-testid="withdraw-plan"' not in viewer.get(f"{PAGES}/lines/{floor.line}").text
    url = f"{PAGES}/lines/{floor.line}/plan/withdraw"
    assert viewer.get(url).status_code == 403
    assert viewer.post(url).status_code == 403

    question = admin.get(url).text
    assert (
        zh(
            "Withdraw version %(version)s of the plan of line %(code)s (style %(style)s)? "
            "Scans on this line are then no longer checked against a plan; "
            "the version stays in the history.",
            version=1,
            code="L1",
            style="SH",
        )
        in question
    )
    done = admin.post(url, follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"] == f"{PAGES}/lines/{floor.line}#plan"
    assert admin.get(f"{API}/lines/{floor.line}/plan").json() is None
    # a second withdrawal (another tab) is refused plainly, not with a 404 page
    again = admin.post(url)
    assert again.status_code == 409
    assert zh("line %(code)s has no published plan", code="L1") in again.text
