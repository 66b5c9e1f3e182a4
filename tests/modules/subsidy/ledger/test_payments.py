"""Payments per funder, never more than the funder's share, and the ledger's totals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from loom.kernel.audit.models import AuditEvent
from loom.kernel.errors import Conflict, ValidationFailed
from loom.modules.subsidy.service import awards as svc
from loom.modules.subsidy.service import ledger as books
from loom.modules.subsidy.service.awards import Filters
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

PAID_ON = date(2025, 12, 15)


def test_payments_per_funder_and_the_ledger(factory: Factory) -> None:
    district = bureau(factory)
    scope = scope_of(district.org)
    project = pilot_project(factory, district.org, 1, invest_fen=150 * WAN)
    acme = contractor(factory, "acme-soft")
    item = product(factory, acme, "扫码计件", marked_by=district.org)
    with db(factory) as session:
        pilot = svc.approve(session, scope, ClaimIn("pilot-project", project_id=project))
        prize = svc.approve(session, scope, ClaimIn("excellent-product-award", product_id=item))
        # central pays its 250,000 in two parts, the city 100,000 of its 150,000
        books.record_payment(
            session, scope, pilot.id, funder="central", amount_fen=20 * WAN, paid_on=PAID_ON
        )
        books.record_payment(
            session, scope, pilot.id, funder="central", amount_fen=5 * WAN, paid_on=PAID_ON
        )
        books.record_payment(
            session,
            scope,
            pilot.id,
            funder="city",
            amount_fen=10 * WAN,
            paid_on=PAID_ON,
            reference="甬财拨〔2025〕88号",
        )
        assert svc.paid_by_funder(session, pilot) == {
            "central": 25 * WAN,
            "city": 10 * WAN,
            "district": 0,
        }
    with db(factory) as session:
        totals = books.ledger(session, scope)
    # approved: central 250,000; city 150,000 (pilot) + 100,000 (product) = 250,000;
    # district 100,000. Paid: central 250,000, city 100,000.
    assert [(line.funder, line.approved_fen, line.paid_fen) for line in totals.lines] == [
        ("central", 25 * WAN, 25 * WAN),
        ("city", 25 * WAN, 10 * WAN),
        ("district", 10 * WAN, 0),
    ]
    assert (totals.awards, totals.approved_fen, totals.paid_fen) == (2, 60 * WAN, 35 * WAN)
    assert totals.outstanding_fen == 25 * WAN
    with db(factory) as session:
        only_products = books.ledger(session, scope, Filters(kind="product"))
    assert [(line.funder, line.approved_fen, line.paid_fen) for line in only_products.lines] == [
        ("city", 10 * WAN, 0)
    ]
    assert prize.split == {"city": 10 * WAN}


def test_no_funder_pays_more_than_its_share(factory: Factory) -> None:
    district = bureau(factory)
    scope = scope_of(district.org)
    project = pilot_project(factory, district.org, 2, invest_fen=150 * WAN)
    with db(factory) as session:
        award = svc.approve(session, scope, ClaimIn("pilot-project", project_id=project))
        books.record_payment(
            session, scope, award.id, funder="district", amount_fen=8 * WAN, paid_on=PAID_ON
        )
    with db(factory) as session:
        # the district's share is 100,000 and 80,000 is paid: 20,000.01 is one fen too many
        with pytest.raises(Conflict) as refused:
            books.record_payment(
                session,
                scope,
                award.id,
                funder="district",
                amount_fen=2 * WAN + 1,
                paid_on=PAID_ON,
            )
        assert refused.value.field == "amount"
        assert refused.value.message == (
            "amount: district's share of award 1 is 100000.00 CNY and 80000.00 CNY is paid; "
            "at most 20000.00 CNY more can be paid"
        )
        for funder, fen, day, field in (
            ("province", WAN, PAID_ON, "funder"),
            ("city", 0, PAID_ON, "amount"),
            ("city", WAN, date.today() + timedelta(days=1), "paid_on"),
        ):
            with pytest.raises(ValidationFailed) as bad:
                books.record_payment(
                    session, scope, award.id, funder=funder, amount_fen=fen, paid_on=day
                )
            assert bad.value.field == field
        last = books.record_payment(
            session, scope, award.id, funder="district", amount_fen=2 * WAN, paid_on=PAID_ON
        )
        assert last.amount_fen == 2 * WAN


def test_a_paid_award_cannot_be_cancelled_and_a_cancelled_one_takes_no_payment(
    factory: Factory,
) -> None:
    district = bureau(factory)
    scope = scope_of(district.org)
    paid_project = pilot_project(factory, district.org, 3, invest_fen=150 * WAN)
    other_project = pilot_project(factory, district.org, 4, invest_fen=150 * WAN)
    with db(factory) as session:
        paid = svc.approve(session, scope, ClaimIn("pilot-project", project_id=paid_project))
        books.record_payment(
            session, scope, paid.id, funder="city", amount_fen=WAN, paid_on=PAID_ON
        )
        other = svc.approve(session, scope, ClaimIn("pilot-project", project_id=other_project))
    with db(factory) as session:
        with pytest.raises(Conflict) as refused:
            svc.cancel(session, scope, paid.id, "写错了")
        assert refused.value.field == "award"
        with pytest.raises(ValidationFailed) as no_reason:
            svc.cancel(session, scope, other.id, "  ")
        assert no_reason.value.field == "reason"
        svc.cancel(session, scope, other.id, "企业放弃")
    with db(factory) as session:
        with pytest.raises(Conflict) as closed:
            books.record_payment(
                session, scope, other.id, funder="city", amount_fen=WAN, paid_on=PAID_ON
            )
        assert closed.value.field == "status"
        with pytest.raises(Conflict):
            svc.cancel(session, scope, other.id, "again")
        totals = books.ledger(session, scope)
    # only the paid award counts: 500,000 approved, 10,000 paid by the city
    assert (totals.awards, totals.approved_fen, totals.paid_fen) == (1, 50 * WAN, WAN)
    with db(factory) as session:
        actions = [
            e.action for e in session.query(AuditEvent).filter(AuditEvent.target_type == "award")
        ]
    assert actions == [
        "subsidy.award.approved",
        "subsidy.payment.recorded",
        "subsidy.award.approved",
        "subsidy.award.cancelled",
    ]
