"""Published products join the planner's catalogue; a project's plan to level 2 is stored."""

from __future__ import annotations

from loom.modules.assessment.planner import sample_catalogue
from loom.modules.assessment.service.rulesets import compiled_rules, get_ruleset
from loom.modules.programme.models import Product, Project
from loom.modules.programme.service.planning import catalogue_for_planner, merged_catalogue
from loom.testing.factory import Factory
from loom.testing.plugin import both_backends
from tests.modules.programme.catalogue.helpers import (
    API,
    audit_actions,
    district,
    one_scene_short,
    project_of,
    publish,
    service_session,
    submitted_assessment,
)

REFERENCE_OPTIONS = len(sample_catalogue().upgrades)  # 40 in the sample catalogue


def test_published_products_become_planner_options(factory: Factory) -> None:
    d = district(factory)
    first = publish(d.alpha_client, name="设备点检小程序", indicators={"B4": ["J"], "B5": "C"})
    second = publish(d.beta_client, name="云端排产", price="45000.50", delivery_weeks=6)
    gone = publish(d.beta_client, name="旧版看板")
    d.beta_client.post(f"{API}/products/{gone['id']}/withdraw")
    with service_session(factory, d.firm) as (session, _scope):
        catalogue = catalogue_for_planner(session, compiled_rules(get_ruleset(session, None)))
    options = catalogue.by_id()
    assert len(options) == REFERENCE_OPTIONS + 2
    assert f"product-{gone['id']}" not in options
    one = options[f"product-{first['id']}"]
    assert (one.name, one.provider, one.cost_fen, one.weeks) == (
        "设备点检小程序",
        "甬科数智",
        980_000,
        2,
    )
    # B5 is single-choice: the planner takes the one letter, B4 (multi) the list
    assert (dict(one.scenes), dict(one.indicators)) == ({"S09": 2}, {"B4": ("J",), "B5": ("C",)})
    two = options[f"product-{second['id']}"]
    assert (two.provider, two.cost_fen, two.weeks) == ("衣联软件", 4_500_050, 6)
    assert "loom-maintenance" in options  # Loom's own apps stay


def test_a_product_the_rules_no_longer_fit_is_left_out_and_listed(factory: Factory) -> None:
    d = district(factory)
    kept = publish(d.alpha_client)
    with service_session(factory, d.alpha) as (session, _scope):
        # as if published under a rule set with a scene S40 that the current one lacks
        stale = Product(
            org_id=d.alpha.id,
            name="老产品",
            scenes={"S16": 2, "S40": 2},
            indicators={},
            price_fen=100,
            delivery_weeks=1,
            deployment="cloud",
        )
        session.add(stale)
        session.flush()
        merged = merged_catalogue(session, compiled_rules(get_ruleset(session, None)))
        stale_id = stale.id
    assert merged.joined == 1
    assert f"product-{kept['id']}" in merged.catalogue.by_id()
    assert [p.path for p in merged.skipped] == [f"product-{stale_id}.scenes.S40"]
    assert merged.skipped[0].message.startswith("unknown scene")


@both_backends
def test_a_cheap_product_is_the_plan_when_it_is_the_cheapest_way(factory: Factory) -> None:
    d = district(factory)
    project_id = project_of(factory, d)
    assessment_id = submitted_assessment(d.firm_client, one_scene_short())
    # The reference catalogue's cheapest way to a third constrained scene at level 2 is
    # loom-maintenance (S08, 15,000 CNY); safety-inspect (S09) costs 16,000. This product
    # brings S09 to level 2 for 9,800 CNY; a withdrawn one at 100 CNY must not count.
    cheap = publish(d.alpha_client, name="设备点检小程序", price="9800", scenes={"S09": 2})
    dear = publish(d.beta_client, name="质量看板", price="20000", scenes={"S07": 2})
    gone = publish(d.beta_client, name="已下架", price="100", scenes={"S11": 2})
    d.beta_client.post(f"{API}/products/{gone['id']}/withdraw")

    made = d.firm_client.post(
        f"{API}/projects/{project_id}/plan", json={"assessment_id": assessment_id}
    )
    assert made.status_code == 200, made.text
    plan = made.json()
    assert plan["reachable"] is True
    assert [o["id"] for o in plan["options"]] == [f"product-{cheap['id']}"]
    assert plan["options"][0]["provider"] == "甬科数智"
    # 9,800 invested; the pilot subsidy is 50% (under the 500,000 cap): 4,900 and 4,900 net
    assert (plan["cost"]["investment_cny"], plan["cost"]["subsidy_cny"]) == (9800, 4900)
    assert plan["cost"]["net_cny"] == 4900
    assert (plan["before"]["level"], plan["after"]["level"]) == (1, 2)
    assert plan["catalogue_size"] == {"options": REFERENCE_OPTIONS + 2, "products": 2}
    assert plan["assessment"]["id"] == assessment_id
    assert dear["id"] != cheap["id"]

    # stored on the project, audited in the enterprise's chain, readable by the contractor
    with service_session(factory, d.bureau) as (session, _scope):
        project = session.get(Project, project_id)
        assert project is not None
        assert project.plan is not None
        assert project.plan["options"][0]["id"] == f"product-{cheap['id']}"
    assert audit_actions(factory, d.firm, project_id, "project") == ["programme.project.planned"]
    seen = d.alpha_client.get(f"{API}/projects/{project_id}/plan")
    assert seen.status_code == 200
    assert seen.json()["cost"]["investment_cny"] == 9800


def test_without_products_the_reference_catalogue_plans(factory: Factory) -> None:
    d = district(factory)
    project_id = project_of(factory, d)
    assessment_id = submitted_assessment(d.firm_client, one_scene_short())
    assert d.firm_client.get(f"{API}/projects/{project_id}/plan").status_code == 404
    plan = d.firm_client.post(
        f"{API}/projects/{project_id}/plan",
        json={"assessment_id": assessment_id, "subsidy": False},
    ).json()
    # loom-maintenance raises S08 to 2 for 15,000 CNY (catalogue_sample.json)
    assert [o["id"] for o in plan["options"]] == ["loom-maintenance"]
    assert plan["cost"] == {"investment_cny": 15000, "subsidy_counted": False}


def test_only_the_projects_enterprise_plans(factory: Factory) -> None:
    d = district(factory)
    project_id = project_of(factory, d)
    assessment_id = submitted_assessment(d.firm_client, one_scene_short())
    body = {"assessment_id": assessment_id}
    # the contractor holds programme.project.invest but plans from no assessment of its own
    assert d.alpha_client.post(f"{API}/projects/{project_id}/plan", json=body).status_code == 403
    assert d.beta_client.post(f"{API}/projects/{project_id}/plan", json=body).status_code == 404
    stranger = district(factory, "x").firm_client
    assert stranger.post(f"{API}/projects/{project_id}/plan", json=body).status_code == 404
    assert stranger.get(f"{API}/projects/{project_id}/plan").status_code == 404
    wrong_level = d.firm_client.post(
        f"{API}/projects/{project_id}/plan", json={**body, "target_level": 7}
    )
    assert wrong_level.status_code == 422
    assert wrong_level.json()["error"]["details"][0]["field"] == "target_level"
    missing = d.firm_client.post(f"{API}/projects/{project_id}/plan", json={"assessment_id": 999})
    assert missing.status_code == 404


def test_a_draft_assessment_cannot_be_planned_from(factory: Factory) -> None:
    d = district(factory)
    project_id = project_of(factory, d)
    draft = d.firm_client.post(
        "/api/v1/assessment/assessments",
        json={"phase": "before", "assessed_on": "2026-03-02"},
    ).json()["id"]
    refused = d.firm_client.post(f"{API}/projects/{project_id}/plan", json={"assessment_id": draft})
    assert refused.status_code == 422
    assert refused.json()["error"]["details"][0]["field"] == "assessment"


def test_the_assessment_modules_own_plan_offers_published_products(factory: Factory) -> None:
    # The assessment module cannot import the programme; the programme's AppSpec offers its
    # products through `upgrade_options`, and the enterprise's plan on its assessment uses them.
    d = district(factory)
    assessment_id = submitted_assessment(d.firm_client, one_scene_short())
    # without products: loom-maintenance (S08, 15,000 CNY) is the cheapest way, as above
    before = d.firm_client.post(
        f"/api/v1/assessment/assessments/{assessment_id}/plan", json={"target_level": 2}
    ).json()
    assert [o["id"] for o in before["target"]["options"]] == ["loom-maintenance"]
    assert before["catalogue"]["offered"] == 0
    cheap = publish(d.alpha_client, name="设备点检小程序", price="9800", scenes={"S09": 2})
    after = d.firm_client.post(
        f"/api/v1/assessment/assessments/{assessment_id}/plan", json={"target_level": 2}
    ).json()
    assert [o["id"] for o in after["target"]["options"]] == [f"product-{cheap['id']}"]
    assert after["catalogue"]["offered"] == 1
    assert after["catalogue"]["options"] == REFERENCE_OPTIONS + 1
    assert after["catalogue"]["name"] == "Loom reference catalogue and published products"
