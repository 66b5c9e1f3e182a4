"""Consent and the read log: set by the enterprise only, audited, visible to it alone."""

from __future__ import annotations

from sqlalchemy import select

from loom.kernel.audit.models import AuditEvent
from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import OrgKind, Role
from loom.modules.brain.models import BrainConsent
from loom.testing.factory import Factory
from loom.testing.leak import make_tenant_pair
from tests.modules.brain.district import END, METRIC, START, seed_district
from tests.modules.brain.test_indices import _index

API = "/api/v1/brain"
PAGES = "/apps/brain"
NOTHING = {
    "capacity": "none",
    "output": "none",
    "quality": "none",
    "energy": "none",
    "digital_level": "none",
    "orders": "none",
}


def test_nothing_is_shared_until_the_enterprise_chooses(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    got = pair.client_a.get(f"{API}/consent")
    assert got.status_code == 200
    assert got.json()["consents"] == NOTHING


def test_the_api_grants_changes_and_revokes_with_an_audit_trail(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    for granularity in ("weekly", "daily", "none"):
        got = pair.client_a.put(f"{API}/consent/quality", json={"granularity": granularity})
        assert got.status_code == 200, got.text
        assert got.json()["consents"]["quality"] == granularity
    with session_scope(factory.runtime.session_factory) as s:
        events = s.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "brain.consent.changed")
            .order_by(AuditEvent.seq)
        ).all()
        assert [(e.org_id, e.before, e.after) for e in events] == [
            (
                pair.a.id,
                {"category": "quality", "granularity": g0},
                {"category": "quality", "granularity": g1},
            )
            for g0, g1 in (("none", "weekly"), ("weekly", "daily"), ("daily", "none"))
        ]
        assert "alice" in events[0].actor_label


def test_bad_choices_are_refused_naming_the_field(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    bad = pair.client_a.put(f"{API}/consent/quality", json={"granularity": "hourly"})
    assert bad.status_code == 422
    assert bad.json()["error"]["details"][0]["field"] == "granularity"
    unknown = pair.client_a.put(f"{API}/consent/salaries", json={"granularity": "daily"})
    assert unknown.status_code == 422
    assert unknown.json()["error"]["details"][0]["field"] == "category"
    form = pair.client_a.post(f"{PAGES}/sharing", data={"output": "hourly"})
    assert form.status_code == 422
    assert 'data-testid="error-output"' in form.text
    assert pair.client_a.get(f"{API}/consent").json()["consents"] == NOTHING


def test_the_page_saves_only_what_changed(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    page = pair.client_a.get(f"{PAGES}/sharing")
    assert page.status_code == 200
    assert 'data-testid="consent-output"' in page.text
    saved = pair.client_a.post(
        f"{PAGES}/sharing",
        data=dict.fromkeys(NOTHING, "none") | {"output": "weekly", "quality": "daily"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert pair.client_a.get(f"{API}/consent").json()["consents"] == NOTHING | {
        "output": "weekly",
        "quality": "daily",
    }
    with session_scope(factory.runtime.session_factory) as s:
        changed = s.scalars(
            select(AuditEvent).where(AuditEvent.action == "brain.consent.changed")
        ).all()
    assert len(changed) == 2  # the four unchanged categories wrote nothing


def test_only_admins_change_sharing_and_the_bureau_has_no_consent(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    factory.user("vic", (pair.a, Role.VIEWER))
    viewer = factory.client("vic")
    assert viewer.get(f"{API}/consent").status_code == 200
    refused = viewer.put(f"{API}/consent/output", json={"granularity": "daily"})
    assert refused.status_code == 403
    assert viewer.get(f"{API}/reads").status_code == 403  # managers see the read log
    bureau = factory.org("bureau", OrgKind.BUREAU)
    factory.user("bea", (bureau, Role.ADMIN))
    officer = factory.client("bea")
    assert officer.get(f"{API}/consent").status_code == 403
    assert officer.put(f"{API}/consent/output", json={"granularity": "daily"}).status_code == 403


def test_the_read_log_shows_who_read_what(factory: Factory) -> None:
    district = seed_district(factory)
    factory.user("erin", (district.orgs["E1"], Role.ADMIN))
    _index(factory, district)
    client = factory.client("erin")
    log = client.get(f"{API}/reads")
    assert log.status_code == 200
    (read,) = log.json()["items"]
    assert read["metric"] == METRIC
    assert read["granularity"] == "daily"
    assert read["reader_org_name"] == "海曙区经信局"
    assert (read["period_start"], read["period_end"]) == (START.isoformat(), END.isoformat())
    page = client.get(f"{PAGES}/sharing")
    assert page.text.count('data-testid="read-row"') == 1
    assert "海曙区经信局" in page.text


def test_an_enterprise_sees_nothing_of_another_ones_sharing(factory: Factory) -> None:
    district = seed_district(factory)
    _index(factory, district)  # E1 … E4 and E6 now have a read each
    factory.user("erin", (district.orgs["E1"], Role.ADMIN))
    factory.user("fay", (district.orgs["E5"], Role.ADMIN))
    e5 = factory.client("fay")
    # E5 never shared: it sees its own empty consent and an empty log, none of E1's rows
    assert e5.get(f"{API}/consent").json()["consents"] == NOTHING
    assert e5.get(f"{API}/reads").json()["items"] == []
    assert 'data-testid="read-row"' not in e5.get(f"{PAGES}/sharing").text
    # revoking in E5 changes E5's row only
    assert e5.put(f"{API}/consent/output", json={"granularity": "none"}).status_code == 200
    with session_scope(factory.runtime.session_factory) as s:
        rows = {(r.org_id, r.category): r.granularity for r in s.scalars(select(BrainConsent))}
    assert rows[(district.orgs["E1"].id, "output")] == "daily"
    assert rows[(district.orgs["E5"].id, "output")] == "none"
    assert len(factory.client("erin").get(f"{API}/reads").json()["items"]) == 1
