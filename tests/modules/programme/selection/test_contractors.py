"""General-contractor selection: bids, consortia, evaluator groups, one chosen per sector."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from loom.kernel.tenancy.models import OrgKind, Role
from loom.testing.factory import Factory, OrgRef
from tests.modules.programme.selection import API, CRITERIA, audit_actions, district

BIDS = f"{API}/contractor-applications"


def bid(client: TestClient, bureau: OrgRef, sector: str = "apparel", *members: int) -> int:
    """Apply through the API as the client's contractor; return the bid's id."""
    made = client.post(
        BIDS,
        json={"bureau_org_id": bureau.id, "sector": sector, "member_org_ids": list(members)},
    )
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def score(client: TestClient, bid_id: int, group: str, evaluator: str, *scores: int) -> Any:
    """Enter one evaluator's sheet, scores in the order of CRITERIA; return the detail."""
    body = {
        "group": group,
        "evaluator": evaluator,
        "scores": dict(zip(CRITERIA, scores, strict=True)),
    }
    entered = client.post(f"{BIDS}/{bid_id}/sheets", json=body)
    assert entered.status_code == 200, entered.text
    return entered.json()


def uniform(client: TestClient, bid_id: int, value: int) -> None:
    """Have one evaluator of every group give ``value`` to every criterion."""
    for group in ("experts", "associations", "pilot_enterprises"):
        score(client, bid_id, group, f"{group}-1", *([value] * 4))


def gamma(factory: Factory) -> tuple[OrgRef, TestClient]:
    """Create a third contractor with a manager."""
    org = factory.org("gamma", OrgKind.CONTRACTOR, name="海曙云服")
    factory.user("gamma-lead", (org, Role.MANAGER))
    return org, factory.client("gamma-lead")


def test_a_bid_is_scored_by_the_three_groups_with_the_plans_weights(factory: Factory) -> None:
    d = district(factory)
    x = bid(d.alpha_client, d.bureau)
    c = d.bureau_client
    # criteria 25 each (Loom defaults); groups: experts 0.5, associations 0.25, pilot
    # enterprises 0.25. Scores in the order technology, experience, staff, ecosystem:
    #   专家甲 25 x (80 + 90 + 70 + 60) / 100 = 75;  专家乙 25 x (90 + 80 + 80 + 70) / 100 = 80
    score(c, x, "experts", "专家甲", 80, 90, 70, 60)
    partial = score(c, x, "experts", "专家乙", 90, 80, 80, 70)
    assert partial["score"] is None  # two weighted groups have not scored yet
    assert partial["missing_groups"] == ["associations", "pilot_enterprises"]
    score(c, x, "associations", "纺织服装协会", 70, 70, 70, 70)  # 70
    done = score(c, x, "pilot_enterprises", "试点企业甲", 60, 80, 60, 80)  # 25 x 280 / 100 = 70
    # experts (75 + 80) / 2 = 77.5; total 0.5 x 77.5 + 0.25 x 70 + 0.25 x 70 = 73.75
    assert done["score"]["by_group"] == {
        "experts": "77.50",
        "associations": "70.00",
        "pilot_enterprises": "70.00",
    }
    assert (done["score"]["score"], done["score"]["exact"]) == ("73.75", "295/4")
    # technology: 0.5 x (80 + 90) / 2 + 0.25 x 70 + 0.25 x 60 = 42.5 + 17.5 + 15 = 75
    # experience: 0.5 x (90 + 80) / 2 + 0.25 x 70 + 0.25 x 80 = 42.5 + 17.5 + 20 = 80
    assert done["score"]["by_criterion"]["technology_products"] == "75.00"
    assert done["score"]["by_criterion"]["sector_experience"] == "80.00"
    assert [g["weight"] for g in done["groups"]] == ["0.5", "0.25", "0.25"]
    bad = c.post(
        f"{BIDS}/{x}/sheets",
        json={"group": "media", "evaluator": "", "scores": {"technology_products": 120}},
    )
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["error"]["details"]] == [
        "group",
        "evaluator",
        "scores.technology_products",
        "scores.sector_experience",
        "scores.service_staff",
        "scores.ecosystem_resources",
    ]


def test_a_contractor_sees_its_own_bid_but_not_a_competitors(factory: Factory) -> None:
    d = district(factory)
    mine = bid(d.alpha_client, d.bureau)
    theirs = bid(d.beta_client, d.bureau)
    uniform(d.bureau_client, mine, 80)
    assert [b["id"] for b in d.alpha_client.get(BIDS).json()["items"]] == [mine]
    own = d.alpha_client.get(f"{BIDS}/{mine}")
    assert own.status_code == 200
    # the evaluators' sheets are the bureau's rows: the lead sees its bid, not the sheets
    assert (own.json()["sheets"], own.json()["score"], own.json()["missing_groups"]) == (
        [],
        None,
        [],
    )
    assert d.alpha_client.get(f"{BIDS}/{theirs}").status_code == 404
    assert d.alpha_client.post(f"{BIDS}/{theirs}/withdraw").status_code == 404
    assert d.alpha_client.get(f"{API}/contractor-ranking").status_code == 403
    assert d.alpha_client.post(f"{BIDS}/{mine}/choose", json={}).status_code == 403
    assert sorted(b["id"] for b in d.bureau_client.get(BIDS).json()["items"]) == [mine, theirs]
    assert (
        d.bureau_client.post(
            BIDS, json={"bureau_org_id": d.bureau.id, "sector": "apparel"}
        ).status_code
        == 403
    )
    assert d.firm_client.get(BIDS).status_code == 403
    # withdrawing is the lead's own act, audited in its chain
    assert d.alpha_client.post(f"{BIDS}/{mine}/withdraw").json()["status"] == "withdrawn"
    assert audit_actions(factory, d.alpha, "contractor_application", mine) == [
        "programme.contractor_application.submitted",
        "programme.contractor_application.withdrawn",
    ]


def test_an_application_names_every_bad_field(factory: Factory) -> None:
    d = district(factory)
    refused = d.alpha_client.post(
        BIDS,
        json={
            "bureau_org_id": d.firm.id,
            "sector": "apparel",
            "member_org_ids": [d.alpha.id, d.firm.id, d.beta.id],
            "statement": "长" * 4001,
        },
    )
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["error"]["details"]] == [
        "bureau_org_id",
        f"member_org_ids.{d.alpha.id}",
        f"member_org_ids.{d.firm.id}",
        "statement",
    ]
    wrong_sector = d.alpha_client.post(
        BIDS, json={"bureau_org_id": d.bureau.id, "sector": "textiles"}
    )
    assert wrong_sector.json()["error"]["details"][0]["field"] == "sector"
    first = bid(d.alpha_client, d.bureau)
    twice = d.alpha_client.post(BIDS, json={"bureau_org_id": d.bureau.id, "sector": "apparel"})
    assert twice.status_code == 409
    assert twice.json()["error"]["message"] == (
        f"sector: your application {first} for this sector is still open"
    )
    assert bid(d.alpha_client, d.bureau, "nev_parts") != first  # another sector is fine
    listed = d.alpha_client.get(f"{BIDS}/bureaus").json()
    assert [b["id"] for b in listed] == [d.bureau.id]
    partners = {p["id"] for p in d.alpha_client.get(f"{BIDS}/partners").json()}
    assert partners == {d.beta.id}


def test_one_general_contractor_per_sector_and_a_change_is_audited(factory: Factory) -> None:
    d = district(factory)
    c = d.bureau_client
    first = bid(d.alpha_client, d.bureau)  # will score 70 in every group
    second = bid(d.beta_client, d.bureau)  # 80
    other_sector = bid(d.alpha_client, d.bureau, "nev_parts")
    unscored = c.post(f"{BIDS}/{first}/choose", json={})
    assert unscored.status_code == 422
    assert unscored.json()["error"]["details"][0]["field"] == "application"
    uniform(c, first, 70)
    uniform(c, second, 80)
    uniform(c, other_sector, 60)
    ranking = c.get(f"{API}/contractor-ranking").json()["sectors"]["apparel"]
    assert [(r["application_id"], r["sector_position"]) for r in ranking["rows"]] == [
        (second, 1),
        (first, 2),
    ]
    assert (ranking["best"], ranking["chosen"]) == (second, None)
    assert c.post(f"{BIDS}/{second}/choose", json={}).json()["status"] == "chosen"
    # choosing the second-ranked needs a reason
    refused = c.post(f"{BIDS}/{first}/choose", json={"note": ""})
    assert refused.status_code == 422
    assert refused.json()["error"]["details"][0]["field"] == "note"
    assert "ranks 2 in its sector" in refused.json()["error"]["message"]
    chosen = c.post(f"{BIDS}/{first}/choose", json={"note": "本地服务团队更强"})
    assert (chosen.json()["status"], chosen.json()["decision_note"]) == (
        "chosen",
        "本地服务团队更强",
    )
    assert c.get(f"{BIDS}/{second}").json()["application"]["status"] == "submitted"
    assert c.post(f"{BIDS}/{other_sector}/choose", json={}).status_code == 200
    sectors = c.get(f"{API}/contractor-ranking").json()["sectors"]
    assert (sectors["apparel"]["chosen"], sectors["nev_parts"]["chosen"]) == (first, other_sector)
    statuses = [r["status"] for r in sectors["apparel"]["rows"]]
    assert statuses.count("chosen") == 1
    assert audit_actions(factory, d.bureau, "contractor_application", second)[-2:] == [
        "programme.contractor_application.chosen",
        "programme.contractor_application.unchosen",
    ]
    # declining the chosen one leaves the sector without a general contractor
    declined = c.post(f"{BIDS}/{first}/decline", json={"reason": "合同未谈妥"})
    assert declined.json()["status"] == "not_chosen"
    assert c.get(f"{API}/contractor-ranking").json()["sectors"]["apparel"]["chosen"] is None
    assert c.post(f"{BIDS}/{first}/decline", json={"reason": "x"}).status_code == 409
    assert c.post(f"{BIDS}/{second}/decline", json={"reason": " "}).status_code == 422


def test_consortium_conflicts_block_the_choice_until_resolved(factory: Factory) -> None:
    d = district(factory)
    third, third_client = gamma(factory)
    c = d.bureau_client
    # alpha leads a consortium with gamma; gamma, which cannot see alpha's bid, bids alone too
    led = bid(d.alpha_client, d.bureau, "apparel", third.id)
    alone = bid(third_client, d.bureau)
    uniform(c, led, 90)
    uniform(c, alone, 70)
    ranking = c.get(f"{API}/contractor-ranking").json()["sectors"]["apparel"]
    assert [p["code"] for p in ranking["conflicts"]] == ["in_two_bids"]
    assert ranking["best"] is None
    refused = c.post(f"{BIDS}/{led}/choose", json={})
    assert refused.status_code == 422
    assert refused.json()["error"]["details"] == [
        {
            "field": "in_two_bids",
            "message": f"organisation {third.id} takes part in competing bids in the sector "
            f"apparel: {led}, {alone}",
        }
    ]
    assert c.get(f"{BIDS}/{led}").json()["application"]["status"] == "submitted"
    # the bureau declines gamma's own bid: the consortium may now be chosen
    c.post(f"{BIDS}/{alone}/decline", json={"reason": "已作为联合体成员参与"})
    assert c.post(f"{BIDS}/{led}/choose", json={}).json()["status"] == "chosen"
    assert c.get(f"{BIDS}/{led}").json()["application"]["member_org_ids"] == [third.id]
