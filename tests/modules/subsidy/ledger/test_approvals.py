"""Approving awards against the ledger: no award ever pushes anyone past a cap.

Every expected amount is hand-computed from the shipped rule set haishu-2024.v1 (四(四)11-14).
"""

from __future__ import annotations

import pytest

from loom.kernel.audit.models import AuditEvent
from loom.kernel.errors import NotFound, ValidationFailed
from loom.modules.subsidy.models import Award
from loom.modules.subsidy.service import awards as svc
from loom.modules.subsidy.service.awards import CapExceeded, NotEligible
from loom.modules.subsidy.service.claims import ClaimIn
from loom.testing.factory import Factory
from tests.modules.subsidy.ledger import (
    WAN,
    bureau,
    contractor,
    db,
    pilot_project,
    product,
    scope_of,
)


def test_an_award_at_the_cap_then_a_second_is_refused(factory: Factory) -> None:
    district = bureau(factory)
    scope = scope_of(district.org)
    # accepted, level 2, invested 1,500,000 CNY: 50% = 750,000, cut to the 500,000 cap
    project = pilot_project(factory, district.org, 1, invest_fen=150 * WAN)
    claim = ClaimIn(rule="pilot-project", project_id=project)
    with db(factory) as session:
        found, quoted = svc.quote_claim(session, scope, claim)
        assert found.investment_fen == 150 * WAN  # the project's recorded investment
        assert (quoted.amount_fen, quoted.limit_applied) == (50 * WAN, "cap")
        award = svc.approve(session, scope, claim, note="区经信局〔2025〕3号")
        # 500,000 split 5:3:2 = 250,000 / 150,000 / 100,000
        assert award.split == {"central": 25 * WAN, "city": 15 * WAN, "district": 10 * WAN}
        assert (award.amount_fen, award.limit_applied, award.status) == (
            50 * WAN,
            "cap",
            "approved",
        )
        assert award.facts["listed_as"] == ["national-pilot"]
        assert (award.facts["accepted"], award.facts["level"]) == (True, 2)
    with db(factory) as session:
        _found, again = svc.quote_claim(session, scope, claim)
        # the enterprise has 500,000 of its 500,000 under pilot-project: nothing is left
        assert (again.amount_fen, again.limit_applied) == (0, "per_beneficiary_cap")
        with pytest.raises(CapExceeded) as refused:
            svc.approve(session, scope, claim)
    assert refused.value.limit == "per_beneficiary_cap"
    assert refused.value.field == "amount"
    assert "cap per beneficiary is used up" in refused.value.message
    with db(factory) as session:
        assert session.query(Award).count() == 1


def test_a_tranche_cannot_pass_the_cap_and_cancelling_frees_it(factory: Factory) -> None:
    district = bureau(factory)
    scope = scope_of(district.org)
    project = pilot_project(factory, district.org, 2, invest_fen=150 * WAN)
    claim = ClaimIn(rule="pilot-project", project_id=project)
    with db(factory) as session:
        first = svc.approve(session, scope, claim, amount_fen=30 * WAN)
        assert first.limit_applied == "bureau"  # less than the 500,000 quoted
    with db(factory) as session:
        # 500,000 - 300,000 = 200,000 left; 250,000 would pass the cap per beneficiary
        with pytest.raises(CapExceeded) as refused:
            svc.approve(session, scope, claim, amount_fen=25 * WAN)
        assert (refused.value.limit, refused.value.most_fen) == ("per_beneficiary_cap", 20 * WAN)
        assert refused.value.message == (
            "amount: 250000.00 CNY would pass the cap per beneficiary; "
            "at most 200000.00 CNY can be awarded"
        )
    with db(factory) as session:
        svc.cancel(session, scope, first.id, "批次调整，重新申报")
    with db(factory) as session:
        _claim, quoted = svc.quote_claim(session, scope, claim)
        assert quoted.amount_fen == 50 * WAN  # a cancelled award no longer counts


def test_a_provider_gets_at_most_300000_across_its_products(factory: Factory) -> None:
    district = bureau(factory)
    scope = scope_of(district.org)
    acme = contractor(factory, "acme-soft")
    ids = [product(factory, acme, f"产品{n}", marked_by=district.org) for n in range(4)]
    with db(factory) as session:
        for product_id in ids[:3]:
            award = svc.approve(
                session, scope, ClaimIn(rule="excellent-product-award", product_id=product_id)
            )
            # 最高10万元 per product, all of it from the city
            assert (award.amount_fen, award.split) == (10 * WAN, {"city": 10 * WAN})
            assert award.beneficiary_kind == "product"
            assert (award.contractor_org_id, award.provider_name) == (acme.id, "acme-soft 科技")
    fourth = ClaimIn(rule="excellent-product-award", product_id=ids[3])
    with db(factory) as session:
        # 3 x 100,000 = 300,000, the cap per provider (每个服务商奖励不超过30万元)
        _claim, quoted = svc.quote_claim(session, scope, fourth)
        assert (quoted.eligible, quoted.amount_fen) == (True, 0)
        assert quoted.limit_applied == "per_provider_cap"
        with pytest.raises(CapExceeded) as refused:
            svc.approve(session, scope, fourth)
        assert refused.value.limit == "per_provider_cap"
    # another provider's product is untouched by acme's awards
    other = product(factory, contractor(factory, "bolt-it"), "扫码计件", marked_by=district.org)
    with db(factory) as session:
        claim = ClaimIn(rule="excellent-product-award", product_id=other)
        assert svc.quote_claim(session, scope, claim)[1].amount_fen == 10 * WAN


def test_a_product_at_60000_gets_40000_more(factory: Factory) -> None:
    district = bureau(factory)
    scope = scope_of(district.org)
    acme = contractor(factory, "acme-soft")
    a, b, c, d = (product(factory, acme, name, marked_by=district.org) for name in "abcd")
    rule = "excellent-product-award"
    with db(factory) as session:
        svc.approve(session, scope, ClaimIn(rule, product_id=a))
        svc.approve(session, scope, ClaimIn(rule, product_id=b))
        svc.approve(session, scope, ClaimIn(rule, product_id=c), amount_fen=6 * WAN)
    with db(factory) as session:
        # product c has 60,000 of its 100,000 (40,000 left); acme has 260,000 of 300,000
        # (40,000 left): the cap per product is named, as it comes first among equals
        _claim, for_c = svc.quote_claim(session, scope, ClaimIn(rule, product_id=c))
        assert (for_c.amount_fen, for_c.limit_applied) == (4 * WAN, "per_product_cap")
        svc.approve(session, scope, ClaimIn(rule, product_id=c), amount_fen=WAN)
    with db(factory) as session:
        # acme now has 100,000 + 100,000 + 60,000 + 10,000 = 270,000: 30,000 left for d
        _claim, for_d = svc.quote_claim(session, scope, ClaimIn(rule, product_id=d))
        assert (for_d.amount_fen, for_d.limit_applied) == (3 * WAN, "per_provider_cap")


def test_the_plans_example_250000_then_50000_at_most(factory: Factory) -> None:
    district = bureau(factory)
    scope = scope_of(district.org)
    acme = contractor(factory, "acme-soft")
    a, b, c, d = (product(factory, acme, name, marked_by=district.org) for name in "abcd")
    with db(factory) as session:
        for product_id, fen in ((a, 10 * WAN), (b, 10 * WAN), (c, 5 * WAN)):
            claim = ClaimIn(rule="excellent-product-award", product_id=product_id)
            svc.approve(session, scope, claim, amount_fen=fen)
    claim = ClaimIn(rule="excellent-product-award", product_id=d)
    with db(factory) as session:
        # 300,000 - (100,000 + 100,000 + 50,000) = 50,000, below the 100,000 a product may get
        _claim, quoted = svc.quote_claim(session, scope, claim)
        assert (quoted.amount_fen, quoted.limit_applied) == (5 * WAN, "per_provider_cap")
        with pytest.raises(CapExceeded) as refused:
            svc.approve(session, scope, claim, amount_fen=5 * WAN + 1)
        assert (refused.value.limit, refused.value.most_fen) == ("per_provider_cap", 5 * WAN)
    with db(factory) as session:
        assert svc.approve(session, scope, claim).amount_fen == 5 * WAN


def test_the_split_adds_up_to_the_fen(factory: Factory) -> None:
    district = bureau(factory)
    scope = scope_of(district.org)
    project = pilot_project(factory, district.org, 3, invest_fen=66_666_666)
    with db(factory) as session:
        award = svc.approve(session, scope, ClaimIn(rule="pilot-project", project_id=project))
    # 50% of 666,666.66 = 333,333.33; 5:3:2 exact shares 16,666,666.5 / 9,999,999.9 /
    # 6,666,666.6 fen; floors leave 2 fen, which go to city (.9) and district (.6)
    assert award.split == {"central": 16_666_666, "city": 10_000_000, "district": 6_666_667}
    assert sum(award.split.values()) == award.amount_fen == 33_333_333
    other = pilot_project(factory, district.org, 4, invest_fen=150 * WAN)
    with db(factory) as session:
        claim = ClaimIn(rule="pilot-project", project_id=other)
        smaller = svc.approve(session, scope, claim, amount_fen=9_999_999)
    # 99,999.99 CNY: 4,999,999.5 / 2,999,999.7 / 1,999,999.8 fen; the 2 fen left go to
    # district (.8) and city (.7)
    assert smaller.split == {"central": 4_999_999, "city": 3_000_000, "district": 2_000_000}
    assert sum(smaller.split.values()) == 9_999_999


def test_facts_come_from_the_programme(factory: Factory) -> None:
    district = bureau(factory)
    scope = scope_of(district.org)
    open_project = pilot_project(factory, district.org, 5, status="in_progress", level=None)
    low = pilot_project(factory, district.org, 6, invest_fen=100 * WAN, level=1)
    sample = pilot_project(factory, district.org, 7, honours=("municipal_sample", "benchmark"))
    with db(factory) as session:
        claim = ClaimIn(rule="pilot-project", project_id=open_project, investment_fen=100 * WAN)
        _c, quoted = svc.quote_claim(session, scope, claim)
        met = {c.condition.fact: (c.given, c.met) for c in quoted.conditions}
        assert met["accepted"] == (False, False)
        assert met["level"] == (None, False)  # no on-site result recorded yet
        with pytest.raises(NotEligible):
            svc.approve(session, scope, claim)
        _c, too_low = svc.quote_claim(session, scope, ClaimIn("pilot-project", project_id=low))
        assert (too_low.eligible, too_low.amount_fen) == (False, 0)
        # honours: a municipal sample gets up to 200,000 (city), a first benchmark 100,000
        for rule, fen in (("municipal-sample-award", 20 * WAN), ("benchmark-award", 10 * WAN)):
            award = svc.approve(session, scope, ClaimIn(rule, project_id=sample))
            assert award.amount_fen == fen


def test_the_bureau_declares_what_loom_does_not_record(factory: Factory) -> None:
    district = bureau(factory)
    scope = scope_of(district.org)
    acme = contractor(factory, "acme-soft")
    plain = ClaimIn(rule="excellent-contractor-award", contractor_org_id=acme.id)
    listed = ClaimIn(
        rule="excellent-contractor-award",
        contractor_org_id=acme.id,
        declared=frozenset({"municipal-excellent-contractor"}),
    )
    with db(factory) as session:
        assert svc.quote_claim(session, scope, plain)[1].eligible is False
        award = svc.approve(session, scope, listed)
        # 最高100万元, all central
        assert (award.amount_fen, award.split) == (100 * WAN, {"central": 100 * WAN})
        assert award.facts["declared"] == ["municipal-excellent-contractor"]
    with db(factory) as session, pytest.raises(ValidationFailed) as refused:
        svc.quote_claim(
            session,
            scope,
            ClaimIn("pilot-project", enterprise_id=1, declared=frozenset({"national-pilot"})),
        )
    assert refused.value.field == "declared"


def test_unusable_claims_name_their_field(factory: Factory) -> None:
    district = bureau(factory)
    scope = scope_of(district.org)
    acme = contractor(factory, "acme-soft")
    unmarked = product(factory, acme, "未评优", marked_by=None)
    project = pilot_project(factory, district.org, 8)
    cases = [
        (ClaimIn("pilot", project_id=project), "rule"),
        (ClaimIn("pilot-project", contractor_org_id=acme.id), "contractor"),
        (ClaimIn("pilot-project"), "project"),
        (ClaimIn("excellent-contractor-award", contractor_org_id=district.org.id), "contractor"),
        (ClaimIn("excellent-product-award", product_id=999_999), "product"),
    ]
    with db(factory) as session:
        for claim, field in cases:
            with pytest.raises((ValidationFailed, NotFound)) as refused:
                svc.quote_claim(session, scope, claim)
            assert refused.value.field == field, claim
        # an unmarked product is found but not eligible: the bureau never marked it excellent
        quoted = svc.quote_claim(
            session, scope, ClaimIn("excellent-product-award", product_id=unmarked)
        )
        assert quoted[1].eligible is False
        with pytest.raises(ValidationFailed) as zero:
            svc.approve(session, scope, ClaimIn("pilot-project", project_id=project), amount_fen=0)
        assert zero.value.field == "amount"


def test_every_change_is_audited(factory: Factory) -> None:
    district = bureau(factory)
    scope = scope_of(district.org)
    project = pilot_project(factory, district.org, 9, invest_fen=40 * WAN)
    with db(factory) as session:
        award = svc.approve(session, scope, ClaimIn("pilot-project", project_id=project))
        svc.cancel(session, scope, award.id, "重复申报")
    with db(factory) as session:
        events = session.query(AuditEvent).filter(AuditEvent.target_type == "award").all()
        assert [e.action for e in events] == ["subsidy.award.approved", "subsidy.award.cancelled"]
        # 50% of 400,000 = 200,000, within every cap
        assert events[0].after["amount_fen"] == 20 * WAN
        assert events[1].before["status"] == "approved"
        assert events[1].after["cancel_reason"] == "重复申报"
