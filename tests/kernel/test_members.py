"""Members: add new and existing accounts, change roles, remove, keep one admin."""

from __future__ import annotations

from loom.kernel.tenancy.models import OrgKind, Role
from loom.testing.factory import Factory, login


def test_admin_creates_an_account_that_can_log_in(factory: Factory) -> None:
    org = factory.org("acme")
    factory.user("boss", (org, Role.ADMIN))
    boss = factory.client("boss")
    made = boss.post(
        "/api/v1/members",
        json={
            "username": "Worker1",
            "role": "member",
            "display_name": "小王",
            "password": "long enough pw",
        },
    )
    assert made.status_code == 201, made.text
    assert made.json()["username"] == "worker1"
    worker = factory.client()
    login(worker, "worker1", "long enough pw")
    me = worker.get("/api/v1/me").json()
    assert me["org_id"] == org.id
    assert "kernel.member.manage" not in me["permissions"]


def test_existing_account_is_added_without_password(factory: Factory) -> None:
    a = factory.org("factory-a")
    c = factory.org("contractor-c", OrgKind.CONTRACTOR)
    factory.user("boss", (a, Role.ADMIN))
    factory.user("zhao", (c, Role.ADMIN))
    boss = factory.client("boss")
    added = boss.post("/api/v1/members", json={"username": "zhao", "role": "viewer"})
    assert added.status_code == 201
    zhao = factory.client("zhao")
    orgs = {m["org_slug"] for m in zhao.get("/api/v1/me").json()["memberships"]}
    assert orgs == {"factory-a", "contractor-c"}


def test_bad_member_requests_name_the_field(factory: Factory) -> None:
    org = factory.org("acme")
    factory.user("boss", (org, Role.ADMIN))
    boss = factory.client("boss")
    unknown = boss.post("/api/v1/members", json={"username": "ghost", "role": "member"})
    assert unknown.status_code == 404
    assert unknown.json()["error"]["details"][0]["field"] == "username"
    taken = boss.post(
        "/api/v1/members", json={"username": "boss", "role": "member", "password": "long enough pw"}
    )
    assert taken.status_code == 409
    short = boss.post(
        "/api/v1/members", json={"username": "newbie", "role": "member", "password": "short"}
    )
    assert short.status_code == 422
    assert short.json()["error"]["details"][0]["field"] == "password"
    bad_role = boss.post("/api/v1/members", json={"username": "newbie", "role": "king"})
    assert bad_role.status_code == 422
    assert [m["username"] for m in boss.get("/api/v1/members").json()] == ["boss"]


def test_the_last_admin_can_be_neither_demoted_nor_removed(factory: Factory) -> None:
    org = factory.org("acme")
    factory.user("boss", (org, Role.ADMIN))
    boss = factory.client("boss")
    mine = boss.get("/api/v1/members").json()[0]["membership_id"]
    demote = boss.put(f"/api/v1/members/{mine}", json={"role": "viewer"})
    assert demote.status_code == 422
    remove = boss.delete(f"/api/v1/members/{mine}")
    assert remove.status_code == 422
    assert boss.get("/api/v1/members").json()[0]["role"] == "admin"


def test_removed_member_loses_access_and_is_audited(factory: Factory) -> None:
    org = factory.org("acme")
    factory.user("boss", (org, Role.ADMIN))
    factory.user("temp", (org, Role.MEMBER))
    boss = factory.client("boss")
    temp = factory.client("temp")
    assert temp.get("/api/v1/me").status_code == 200
    target = next(m for m in boss.get("/api/v1/members").json() if m["username"] == "temp")
    assert boss.delete(f"/api/v1/members/{target['membership_id']}").status_code == 204
    assert temp.get("/api/v1/me").status_code == 401
    actions = [e["action"] for e in boss.get("/api/v1/audit").json()["items"]]
    assert "kernel.member.removed" in actions


def test_members_page_keeps_what_was_typed_on_error(factory: Factory) -> None:
    org = factory.org("acme")
    factory.user("boss", (org, Role.ADMIN))
    boss = factory.client("boss")
    page = boss.post(
        "/settings/members",
        data={
            "username": "nobody-here",
            "role": "viewer",
            "display_name": "Typed Name",
            "csrf_token": boss.headers["X-CSRF-Token"],
        },
    )
    assert page.status_code == 404
    assert 'value="nobody-here"' in page.text
    assert 'value="Typed Name"' in page.text
    assert "member-error" in page.text
    # The message is translated with its parameter (zh-CN is the default language).
    assert "不存在用户名为 nobody-here 的账号" in page.text
