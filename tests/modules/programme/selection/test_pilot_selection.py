"""Pilot applications and selection into batches: quotas, decisions, projects, enterprises."""

from __future__ import annotations

from typing import Any

from loom.modules.programme.service import projects
from loom.testing.factory import Factory
from tests.modules.programme.selection import (
    API,
    apply,
    audit_actions,
    district,
    publish_plan,
    register,
    scored_application,
    service_session,
)

# batch-1 keeps 3 apparel places and the home-appliance one; batch-2 takes the rest of the 55
SMALL_BATCH = {
    "batch-1": {"apparel": 3, "nev_parts": 0, "home_appliances": 1},
    "batch-2": {"apparel": 45, "nev_parts": 6, "home_appliances": 0},
}


def places(client: Any, batch: str, sector: str) -> tuple[int, int, int]:
    """Return (quota, selected, remaining) of a batch and sector from the ranking."""
    rows = client.get(f"{API}/pilot-ranking").json()["places"]
    row = next(p for p in rows if (p["batch"], p["sector"]) == (batch, sector))
    return row["quota"], row["selected"], row["remaining"]


def select(client: Any, batch: str, *ids: int, note: str = "") -> Any:
    """Post a selection of applications into a batch."""
    body = {"batch": batch, "application_ids": list(ids), "note": note}
    return client.post(f"{API}/pilot-selections", json=body)


def test_selecting_one_beyond_the_quota_is_refused_naming_it(factory: Factory) -> None:
    d = district(factory)
    publish_plan(factory, d.bureau, quotas=SMALL_BATCH)
    c = d.bureau_client
    scores = (90, 80, 70, 60)
    ids = [scored_application(c, factory, d.bureau, n, s) for n, s in enumerate(scores, start=1)]
    # four at once into three places: quota + 1, refused whole
    refused = select(c, "batch-1", *ids)
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["message"] == (
        "batch: batch-1 has 3 places for apparel and 0 are selected; "
        "selecting 4 more would exceed the quota"
    )
    assert error["details"] == [{"field": "batch", "message": error["message"]}]
    assert places(c, "batch-1", "apparel") == (3, 0, 3)
    # exactly the quota is accepted, best first
    taken = select(c, "batch-1", *ids[:3], note="首批")
    assert taken.status_code == 200, taken.text
    assert [(a["id"], a["status"], a["batch"]) for a in taken.json()] == [
        (i, "selected", "batch-1") for i in ids[:3]
    ]
    assert places(c, "batch-1", "apparel") == (3, 3, 0)
    # the fourth is quota + 1 again, now counted over the ones already selected
    again = select(c, "batch-1", ids[3])
    assert again.status_code == 409
    assert (
        "3 are selected; selecting 1 more would exceed the quota"
        in (again.json()["error"]["message"])
    )
    # another batch has places of its own
    assert select(c, "batch-2", ids[3]).status_code == 200
    assert places(c, "batch-2", "apparel") == (45, 1, 44)
    # taking a selection back frees its place
    assert c.post(f"{API}/pilot-applications/{ids[2]}/reopen").status_code == 200
    assert places(c, "batch-1", "apparel") == (3, 2, 1)
    assert audit_actions(factory, d.bureau, "pilot_application", ids[2]) == [
        "programme.pilot_application.submitted",
        "programme.pilot_score.entered",
        "programme.pilot_application.selected",
        "programme.pilot_application.reopened",
    ]


def test_a_sector_without_places_in_the_batch_and_the_sectors_apart(factory: Factory) -> None:
    d = district(factory)
    c = d.bureau_client
    nev = scored_application(c, factory, d.bureau, 1, 90, sector="nev_parts")
    home = [
        scored_application(c, factory, d.bureau, n, 80, sector="home_appliances") for n in (2, 3)
    ]
    # the shipped plan gives NEV parts no place in batch-1 (6 in batch-2)
    refused = select(c, "batch-1", nev)
    assert refused.status_code == 409
    assert refused.json()["error"]["message"] == "batch: batch-1 has no places for nev_parts"
    # two home-appliance pilots for its one place: refused, naming that sector only
    both = select(c, "batch-1", *home)
    assert both.status_code == 409
    assert [d["message"] for d in both.json()["error"]["details"]] == [
        "batch: batch-1 has 1 places for home_appliances and 0 are selected; "
        "selecting 2 more would exceed the quota"
    ]
    assert select(c, "batch-1", home[0]).status_code == 200
    assert select(c, "batch-2", nev).status_code == 200


def test_only_submitted_scored_applications_of_the_plan_are_selected(factory: Factory) -> None:
    d = district(factory)
    c = d.bureau_client
    unscored = apply(c, register(factory, d.bureau, 1))["id"]
    done = scored_application(c, factory, d.bureau, 2, 70)
    assert select(c, "batch-1", done).status_code == 200
    refused = select(c, "batch-9", unscored, done, 999_999)
    assert refused.status_code == 422
    assert [x["message"] for x in refused.json()["error"]["details"]] == [
        "batch: the plan has no batch 'batch-9'",
        f"application_ids.{unscored}: has no score under the active plan yet",
        f"application_ids.{done}: is selected; only a submitted one can be selected",
        "application_ids.999999: no such application",
    ]
    empty = select(c, "batch-1")
    assert empty.status_code == 422
    assert empty.json()["error"]["details"][0]["field"] == "application_ids"


def test_the_plans_minimum_score_applies(factory: Factory) -> None:
    d = district(factory)
    publish_plan(factory, d.bureau, min_score=60)
    low = scored_application(d.bureau_client, factory, d.bureau, 1, 55)
    refused = select(d.bureau_client, "batch-1", low)
    assert refused.status_code == 422
    assert refused.json()["error"]["details"] == [
        {
            "field": f"application_ids.{low}",
            "message": f"application_ids.{low}: score 55.00 is below the minimum of 60",
        }
    ]


def test_decisions_need_their_status_and_a_reason(factory: Factory) -> None:
    d = district(factory)
    c = d.bureau_client
    entry = register(factory, d.bureau, 1)
    first = apply(c, entry, "我们想做吊挂系统")["id"]
    url = f"{API}/pilot-applications/{first}"
    twice = c.post(f"{API}/pilot-applications", json={"enterprise_id": entry})
    assert twice.status_code == 409
    assert twice.json()["error"]["details"][0]["field"] == "enterprise_id"
    no_reason = c.post(f"{url}/not-selected", json={"reason": "  "})
    assert no_reason.status_code == 422
    assert no_reason.json()["error"]["details"][0]["field"] == "reason"
    out = c.post(f"{url}/not-selected", json={"reason": "经营不稳定"})
    assert (out.json()["status"], out.json()["decision_note"]) == ("not_selected", "经营不稳定")
    # a decided application takes no sheets, and a new application may follow
    late = c.post(f"{url}/sheets", json={"expert": "甲", "scores": {}})
    assert late.status_code == 409
    assert late.json()["error"]["message"] == (
        "status: sheets are entered while the application is submitted; this one is not_selected"
    )
    second = apply(c, entry)["id"]
    reopen = c.post(f"{url}/reopen")
    assert reopen.status_code == 409
    assert str(second) in reopen.json()["error"]["message"]
    withdrawn = c.post(f"{API}/pilot-applications/{second}/withdraw", json={"reason": "企业放弃"})
    assert withdrawn.json()["status"] == "withdrawn"
    assert c.post(f"{API}/pilot-applications/{second}/withdraw", json={}).status_code == 409
    assert c.post(f"{url}/reopen").json()["status"] == "submitted"
    assert audit_actions(factory, d.bureau, "pilot_application", first) == [
        "programme.pilot_application.submitted",
        "programme.pilot_application.not_selected",
        "programme.pilot_application.reopened",
    ]


def test_an_enterprise_outside_the_plans_sectors_cannot_apply(factory: Factory) -> None:
    d = district(factory)
    other = register(factory, d.bureau, 1, sector="other")
    refused = d.bureau_client.post(f"{API}/pilot-applications", json={"enterprise_id": other})
    assert refused.status_code == 422
    assert refused.json()["error"]["details"][0]["field"] == "enterprise_id"
    unknown = d.bureau_client.post(f"{API}/pilot-applications", json={"enterprise_id": 424242})
    assert unknown.status_code == 422
    long = d.bureau_client.post(
        f"{API}/pilot-applications",
        json={"enterprise_id": register(factory, d.bureau, 2), "statement": "长" * 4001},
    )
    assert long.status_code == 422
    assert long.json()["error"]["details"][0]["field"] == "statement"


def test_a_selected_pilot_gets_its_project_and_then_cannot_be_withdrawn(factory: Factory) -> None:
    d = district(factory)
    c = d.bureau_client
    app_id = scored_application(c, factory, d.bureau, 1, 88, org=d.firm)
    assert select(c, "batch-1", app_id).status_code == 200
    with service_session(factory, d.bureau) as (session, scope):
        project_id = projects.create(session, scope, application_id=app_id).id
    detail = c.get(f"{API}/pilot-applications/{app_id}").json()
    assert detail["project_id"] == project_id
    for action in ("withdraw", "reopen"):
        refused = c.post(f"{API}/pilot-applications/{app_id}/{action}", json={})
        assert refused.status_code == 409
        assert f"project {project_id} is open" in refused.json()["error"]["message"]


def test_an_enterprise_sees_its_own_application_and_no_sheet(factory: Factory) -> None:
    d = district(factory)
    c = d.bureau_client
    mine = scored_application(c, factory, d.bureau, 1, 75, org=d.firm, name="海曙服饰有限公司")
    theirs = scored_application(c, factory, d.bureau, 2, 95, org=d.rival)
    listed = d.firm_client.get(f"{API}/pilot-applications").json()
    assert [a["id"] for a in listed["items"]] == [mine]
    assert listed["items"][0]["enterprise_org_id"] == d.firm.id
    own = d.firm_client.get(f"{API}/pilot-applications/{mine}")
    assert own.status_code == 200
    assert own.json()["enterprise_name"] == "海曙服饰有限公司"
    # the experts' sheets are the bureau's rows: the enterprise sees the decision, not the sheets
    assert (own.json()["sheets"], own.json()["score"]) == ([], None)
    assert d.firm_client.get(f"{API}/pilot-applications/{theirs}").status_code == 404
    assert d.firm_client.get(f"{API}/pilot-ranking").status_code == 403
    for attempt in (
        d.firm_client.post(f"{API}/pilot-applications", json={"enterprise_id": 1}),
        d.firm_client.post(f"{API}/pilot-applications/{mine}/withdraw", json={}),
        d.firm_client.post(f"{API}/pilot-selections", json={"batch": "batch-1"}),
    ):
        assert attempt.status_code == 403
    # an application of an entry not linked to the enterprise stays hidden from it
    unlinked = apply(c, register(factory, d.bureau, 3))["id"]
    assert d.firm_client.get(f"{API}/pilot-applications/{unlinked}").status_code == 404
    assert select(c, "batch-1", mine).status_code == 200
    decided = d.firm_client.get(f"{API}/pilot-applications/{mine}").json()["application"]
    assert (decided["status"], decided["batch"]) == ("selected", "batch-1")


def test_the_list_searches_and_filters(factory: Factory) -> None:
    d = district(factory)
    c = d.bureau_client
    a = apply(c, register(factory, d.bureau, 1, name="海曙针织有限公司"))["id"]
    b = apply(c, register(factory, d.bureau, 2, sector="nev_parts"))["id"]
    scored = scored_application(c, factory, d.bureau, 3, 80)
    assert select(c, "batch-1", scored).status_code == 200

    def ids(**query: str) -> list[int]:
        return [i["id"] for i in c.get(f"{API}/pilot-applications", params=query).json()["items"]]

    assert ids() == [scored, b, a]  # newest first
    assert ids(q="针织") == [a]
    assert ids(sector="nev_parts") == [b]
    assert ids(status="selected", batch="batch-1") == [scored]
    assert ids(status="withdrawn") == []
    paged = c.get(f"{API}/pilot-applications", params={"limit": 2}).json()
    assert (paged["total"], len(paged["items"]), paged["next_offset"]) == (3, 2, 2)
