"""Isolation: an enterprise sees only its own case and no analytics; a bureau only its own."""

from __future__ import annotations

from fastapi.testclient import TestClient

from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import OrgKind, Role
from loom.modules.programme.models import Enterprise, Project
from loom.modules.programme.registry.creditcode import make_code
from loom.testing.factory import Factory
from loom.testing.leak import TenantResource, assert_tenant_isolation, make_tenant_pair
from loom.testing.plugin import both_backends
from tests.modules.programme.analytics.helpers import API, PAGES, Seeded, seed
from tests.modules.programme.analytics.test_showcase import WRITE_UP


def _feature(client: TestClient, project_id: int) -> None:
    assert client.put(f"{API}/showcase/{project_id}", json=WRITE_UP).status_code == 200
    response = client.post(f"{API}/showcase/{project_id}/feature", json={"featured": True})
    assert response.status_code == 200


def _written(s: Seeded) -> None:
    """Show P1 and P2 as showcases; P3 is written up but not shown."""
    for key in ("P1", "P2"):
        _feature(s.client, s.projects[key])
    assert s.client.put(f"{API}/showcase/{s.projects['P3']}", json=WRITE_UP).status_code == 200


def _ids(client: TestClient) -> tuple[list[int], list[int], list[int]]:
    body = client.get(f"{API}/showcase").json()
    return (
        [c["project_id"] for c in body["cases"]],
        [c["project_id"] for c in body["drafts"]],
        body["candidates"],
    )


@both_backends
def test_an_enterprise_sees_only_its_own_shown_case(factory: Factory) -> None:
    s = seed(factory)
    _written(s)
    p = s.projects
    factory.user("e1-boss", (s.enterprise_orgs["P1"], Role.ADMIN))
    factory.user("e2-boss", (s.enterprise_orgs["P2"], Role.ADMIN))
    e1, e2 = factory.client("e1-boss"), factory.client("e2-boss")
    assert _ids(e1) == ([p["P1"]], [], [])
    assert _ids(e2) == ([p["P2"]], [], [])
    assert e1.get(f"{API}/showcase/{p['P1']}").status_code == 200
    for other in ("P2", "P3", "P4"):
        assert e1.get(f"{API}/showcase/{p[other]}").status_code == 404, other
        assert e1.get(f"{PAGES}/showcase/{p[other]}").status_code == 404, other
    page = e1.get(f"{PAGES}/showcase")
    assert page.status_code == 200
    assert f'data-id="{p["P1"]}"' in page.text
    assert f'data-id="{p["P2"]}"' not in page.text
    assert "hs-P2" not in page.text
    # reading is all an enterprise may do, and it sees no analytics at all
    assert e1.put(f"{API}/showcase/{p['P1']}", json=WRITE_UP).status_code == 403
    refused = e1.post(f"{API}/showcase/{p['P1']}/feature", json={"featured": False})
    assert refused.status_code == 403
    for url in (f"{API}/analytics", f"{PAGES}/analytics", f"{PAGES}/analytics.xlsx"):
        response = e1.get(url, headers={"accept": "application/json"})
        assert response.status_code == 403, url
        assert response.json()["error"]["code"] == "permission_denied"
    # the case is still shown after the enterprise's attempts
    assert _ids(s.client)[0] == [p["P1"], p["P2"]]


@both_backends
def test_a_contractor_sees_the_shown_cases_it_delivered(factory: Factory) -> None:
    s = seed(factory)
    _written(s)
    factory.user("a-pm", (s.contractors["A"], Role.MANAGER))
    factory.user("b-pm", (s.contractors["B"], Role.MANAGER))
    # A delivered P1, P2 (shown) and P3 (a draft); B delivered P4 and P5 (no case)
    assert _ids(factory.client("a-pm")) == ([s.projects["P1"], s.projects["P2"]], [], [])
    assert _ids(factory.client("b-pm")) == ([], [], [])
    assert factory.client("a-pm").get(f"{API}/analytics").status_code == 403


@both_backends
def test_another_bureaus_records_never_count(factory: Factory) -> None:
    mine = seed(factory)
    alone = mine.client.get(f"{API}/analytics").json()
    theirs = seed(factory, "zz")
    _written(theirs)
    assert mine.client.get(f"{API}/analytics").json() == alone
    assert _ids(mine.client) == ([], [], [mine.projects[k] for k in ("P1", "P2", "P3", "P4")])
    zz_p1 = theirs.projects["P1"]
    for response in (
        mine.client.get(f"{API}/showcase/{zz_p1}"),
        mine.client.put(f"{API}/showcase/{zz_p1}", json=WRITE_UP),
        mine.client.post(f"{API}/showcase/{zz_p1}/feature", json={"featured": False}),
        mine.client.get(f"{PAGES}/showcase/{zz_p1}"),
        mine.client.get(f"{PAGES}/showcase/{zz_p1}/edit"),
    ):
        assert response.status_code == 404
    page = mine.client.get(f"{PAGES}/analytics")
    assert "zz-P1" not in page.text
    assert "zz 总包A" not in page.text


def test_the_shared_leak_suite_on_showcase_cases(factory: Factory) -> None:
    pair = make_tenant_pair(factory, OrgKind.BUREAU, tag="-sc")

    def create(_client: TestClient) -> int:
        with session_scope(factory.runtime.session_factory) as session:
            entry = Enterprise(
                org_id=pair.a.id,
                name="甲 服饰",
                credit_code=make_code("91330203MA2LEAK1"),
                sector="apparel",
                size="above",
            )
            session.add(entry)
            session.flush()
            project = Project(
                org_id=pair.a.id,
                enterprise_id=entry.id,
                title="甲 改造",
                sector="apparel",
                batch="batch-1",
                status="accepted",
            )
            session.add(project)
            session.flush()
            project_id = project.id
        _feature(pair.client_a, project_id)
        return project_id

    assert_tenant_isolation(
        pair,
        TenantResource(
            name="showcase",
            list_url=f"{API}/showcase",
            item_url=f"{API}/showcase/{{id}}",
            create=create,
            update_method="PUT",
            update_body={**WRITE_UP, "title": "B 改的"},
            deletable=False,
            list_key="cases",
            id_key="project_id",
            extra_urls=[f"{PAGES}/showcase/{{id}}", f"{PAGES}/showcase/{{id}}/edit"],
        ),
    )
