"""Only the bureau reads its dashboard, and another bureau's rows never count in it."""

from __future__ import annotations

from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import OrgKind, Role
from loom.modules.programme.models import Enterprise, Project, Transition
from loom.modules.programme.registry.creditcode import make_code
from loom.testing.factory import Factory, OrgRef
from loom.testing.plugin import both_backends
from tests.modules.programme.targets.helpers import API, PAGES, by_id, seed, utc


def other_bureau(factory: Factory) -> tuple[OrgRef, dict[str, int]]:
    """Create bureau ``zz``: one above-scale apparel enterprise at level 3, accepted in 2024."""
    bureau = factory.org("zz-bureau", OrgKind.BUREAU)
    factory.user("zz-clerk", (bureau, Role.MANAGER))
    with session_scope(factory.runtime.session_factory) as session:
        firm = Enterprise(
            org_id=bureau.id,
            name="zz 服饰",
            credit_code=make_code("91330203MA2XY001"),
            sector="apparel",
            size="above",
            cloud=True,
            digital_level=3,
            level_on=utc(2024, 7, 1).date(),
            smart_factory_on=utc(2024, 8, 1).date(),
        )
        session.add(firm)
        session.flush()
        project = Project(
            org_id=bureau.id,
            enterprise_id=firm.id,
            title="zz 改造",
            sector="apparel",
            batch="batch-1",
            status="accepted",
        )
        session.add(project)
        session.flush()
        steps = (("accept", utc(2024, 7, 1)), ("designate_municipal_sample", utc(2024, 8, 1)))
        for action, at in steps:
            session.add(
                Transition(
                    org_id=bureau.id,
                    project_id=project.id,
                    action=action,
                    from_status="accepted",
                    to_status="accepted",
                    at=at,
                )
            )
        return bureau, {"firm": firm.id, "project": project.id}


@both_backends
def test_another_bureaus_rows_never_count(factory: Factory) -> None:
    mine = seed(factory)
    alone = mine.client.get(f"{API}/kpi", params={"on": "2024-12-31"}).json()
    _, theirs = other_bureau(factory)
    together = mine.client.get(f"{API}/kpi", params={"on": "2024-12-31"}).json()
    assert together == alone
    zz = factory.client("zz-clerk").get(f"{API}/kpi", params={"on": "2024-12-31"}).json()
    t = by_id(zz)
    assert t["batch-1-pilots"]["ids"] == [theirs["project"]]
    assert t["municipal-samples-2024"]["ids"] == [theirs["project"]]
    assert t["smart-factories"]["ids"] == [theirs["firm"]]
    assert (t["level2-share"]["shown"], t["cloud-share"]["shown"]) == ("100.0%", "100.0%")
    # the 小快轻准 catalogue is public by design: every bureau counts the same products
    assert t["products"]["ids"] == by_id(alone)["products"]["ids"]
    # nor does a drill-down list the other bureau's rows
    page = mine.client.get(f"{PAGES}/targets/batch-1-pilots", params={"on": "2024-12-31"})
    assert page.status_code == 200
    assert "zz 改造" not in page.text
    assert f'data-id="{theirs["project"]}"' not in page.text


@both_backends
def test_only_the_bureau_reads_the_dashboard(factory: Factory) -> None:
    s = seed(factory)
    firm = factory.org("hs-firm", OrgKind.ENTERPRISE)
    factory.user("hs-boss", (firm, Role.ADMIN))
    factory.user("hs-pm", (s.maker, Role.ADMIN))
    factory.user("hs-viewer", (s.bureau, Role.VIEWER))
    urls = (
        f"{API}/kpi",
        f"{PAGES}/",
        f"{PAGES}/targets/all-pilots",
        f"{PAGES}/targets.xlsx",
    )
    for username in ("hs-boss", "hs-pm"):
        client = factory.client(username)
        for url in urls:
            response = client.get(url, headers={"accept": "application/json"})
            assert response.status_code == 403, (username, url)
            assert response.json()["error"]["code"] == "permission_denied"
    viewer = factory.client("hs-viewer")
    for url in urls:
        assert viewer.get(url).status_code == 200, url


def test_a_token_without_the_permission_is_refused(factory: Factory) -> None:
    s = seed(factory)
    allowed = factory.token_client(factory.token(s.bureau, ["programme.kpi.read"]))
    assert allowed.get(f"{API}/kpi").status_code == 200
    other = factory.token_client(factory.token(s.bureau, ["programme.plan.read"]))
    assert other.get(f"{API}/kpi").status_code == 403
