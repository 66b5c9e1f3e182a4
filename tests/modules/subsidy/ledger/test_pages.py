"""The subsidy pages in Chinese and English: quote, approve, pay, cancel, export."""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from loom.kernel.web.i18n import Catalogues
from loom.modules.subsidy.app import HERE
from loom.testing.factory import Factory
from tests.modules.subsidy.ledger import (
    PAGES,
    WAN,
    bureau,
    contractor,
    credit_code,
    pilot_project,
    product,
)

CATALOGUES = Catalogues([HERE / "translations"])


def zh(msgid: str, **params: Any) -> str:
    """Return the Chinese text of ``msgid``; a missing translation fails the test."""
    text = CATALOGUES.gettext("zh_CN", msgid)
    assert text != msgid, f"no zh_CN translation for {msgid!r}"
    return text % params if params else text


def approve(client: TestClient, **form: str) -> int:
    response = client.post(f"{PAGES}/awards", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def test_quote_page_shows_the_result_in_chinese(factory: Factory) -> None:
    district = bureau(factory)
    project = pilot_project(factory, district.org, 1, invest_fen=66_666_666)
    empty = district.manager.get(f"{PAGES}/quote")
    assert empty.status_code == 200
    assert zh("Choose a rule") in empty.text
    assert 'data-testid="quote-result"' not in empty.text
    page = district.manager.get(
        f"{PAGES}/quote", params={"rule": "pilot-project", "project": project}
    )
    assert page.status_code == 200, page.text
    # 50% of 666,666.66 = 333,333.33, split 166,666.66 / 100,000.00 / 66,666.67
    assert re.search(r'data-testid="quote-amount">333,333.33', page.text)
    assert zh("Share of the investment") in page.text  # the limit applied
    assert zh("This rule awards: %(kind)s", kind=zh("Enterprise")) in page.text
    for amount in ("166,666.66", "100,000.00", "66,666.67"):
        assert amount in page.text
    assert zh("National pilot project") in page.text
    assert "确保通过验收的企业数字化水平达到二级及以上" in page.text  # the plan's own words
    assert 'data-testid="approve-form"' in page.text
    # a member reads the quote but gets no approve button
    member = district.member.get(
        f"{PAGES}/quote", params={"rule": "pilot-project", "project": project}
    )
    assert 'data-testid="approve-form"' not in member.text


def test_approve_pay_and_cancel_through_the_pages(factory: Factory) -> None:
    district = bureau(factory)
    pilot_project(factory, district.org, 2, invest_fen=150 * WAN)
    award_id = approve(
        district.manager,
        rule="pilot-project",
        enterprise=credit_code(2),
        amount="300000",
        note="区经信局〔2025〕3号",
    )
    page = district.manager.get(f"{PAGES}/awards/{award_id}")
    assert page.status_code == 200
    assert "300,000.00" in page.text
    assert "区经信局〔2025〕3号" in page.text
    assert zh("Set lower by the bureau") in page.text
    # 300,000 split 5:3:2: central 150,000, city 90,000, district 60,000
    assert "150,000.00" in page.text
    assert "90,000.00" in page.text
    assert "60,000.00" in page.text
    paid = district.manager.post(
        f"{PAGES}/awards/{award_id}/payments",
        data={"funder": "city", "amount": "90000.01", "paid_on": "2025-12-01"},
    )
    assert paid.status_code == 409
    assert "最多还能拨付 90000.00 元" in paid.text
    ok = district.manager.post(
        f"{PAGES}/awards/{award_id}/payments",
        data={"funder": "city", "amount": "90000", "paid_on": "2025-12-01", "reference": "P-7"},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    after = district.manager.get(f"{PAGES}/awards/{award_id}").text
    assert "P-7" in after
    assert 'data-testid="cancel-form"' not in after  # paid: it can no longer be cancelled
    assert zh("An award with payments cannot be cancelled.") in after
    bad_date = district.manager.post(
        f"{PAGES}/awards/{award_id}/payments",
        data={"funder": "city", "amount": "1", "paid_on": "1.12.2025"},
    )
    assert bad_date.status_code == 422
    assert zh("paid_on: a date as YYYY-MM-DD") in bad_date.text


def test_an_award_past_the_cap_is_refused_with_the_cap_named(factory: Factory) -> None:
    district = bureau(factory)
    project = pilot_project(factory, district.org, 3, invest_fen=150 * WAN)
    approve(district.manager, rule="pilot-project", project=str(project), amount="400000")
    refused = district.manager.post(
        f"{PAGES}/awards",
        data={"rule": "pilot-project", "project": str(project), "amount": "100000.01"},
    )
    assert refused.status_code == 409
    # 500,000 - 400,000 = 100,000 left under the cap per beneficiary
    assert (
        zh(
            "%(amount)s CNY would pass the %(limit)s: at most %(most)s CNY can be awarded.",
            amount="100,000.01",
            limit=zh("Cap per beneficiary"),
            most="100,000.00",
        )
        in refused.text
    )
    assert 'data-testid="quote-result"' in refused.text  # the fresh quote is shown again


def test_cancel_needs_a_reason_and_then_frees_the_cap(factory: Factory) -> None:
    district = bureau(factory)
    acme = contractor(factory, "acme-soft")
    item = product(factory, acme, "扫码计件", marked_by=district.org)
    award_id = approve(district.manager, rule="excellent-product-award", product=str(item))
    page = district.manager.get(f"{PAGES}/awards/{award_id}").text
    assert 'data-confirm="' in page
    assert 'data-testid="cancel-form"' in page
    blank = district.manager.post(f"{PAGES}/awards/{award_id}/cancel", data={"reason": ""})
    assert blank.status_code == 422
    assert zh("reason: say why the award is cancelled") in blank.text
    done = district.manager.post(
        f"{PAGES}/awards/{award_id}/cancel", data={"reason": "产品下架"}, follow_redirects=False
    )
    assert done.status_code == 303
    assert "产品下架" in district.manager.get(f"{PAGES}/awards/{award_id}").text
    quote = district.manager.get(
        f"{PAGES}/quote", params={"rule": "excellent-product-award", "product": item}
    )
    assert re.search(r'data-testid="quote-amount">100,000.00', quote.text)


def test_ledger_lists_filters_and_exports(factory: Factory) -> None:
    district = bureau(factory)
    acme = contractor(factory, "acme-soft")
    item = product(factory, acme, "扫码计件", marked_by=district.org)
    project = pilot_project(factory, district.org, 4, invest_fen=150 * WAN)
    pilot_id = approve(district.manager, rule="pilot-project", project=str(project))
    approve(district.manager, rule="excellent-product-award", product=str(item), amount="80000")
    page = district.member.get(f"{PAGES}/")
    assert page.status_code == 200
    assert zh("Subsidy ledger") in page.text
    assert "试点企业4" in page.text
    # approved 500,000 + 80,000 = 580,000; city 150,000 + 80,000 = 230,000
    assert "580,000.00" in page.text
    assert "230,000.00" in page.text
    products_only = district.member.get(f"{PAGES}/", params={"kind": "product"}).text
    assert "扫码计件" in products_only
    assert "试点企业4" not in products_only
    nothing = district.member.get(f"{PAGES}/", params={"q": "不存在"}).text
    assert zh("No awards match these filters.") in nothing
    export = district.member.get(f"{PAGES}/export.xlsx")
    assert export.status_code == 200
    book = load_workbook(BytesIO(export.content))
    awards, totals = book.worksheets
    header = [cell.value for cell in awards[1]]
    assert header[:6] == [
        zh("Award"),
        zh("Rule"),
        zh("Clause"),
        zh("Rules version"),
        zh("Kind"),
        zh("Beneficiary"),
    ]
    rows = {row[0]: row for row in awards.iter_rows(min_row=2, values_only=True)}
    pilot = rows[pilot_id]
    central, city, district_col = (
        header.index(zh(n)) for n in ("Central funds", "City funds", "District funds")
    )
    assert (pilot[1], pilot[2], pilot[5]) == (zh("Pilot project subsidy"), "四(四)11", "试点企业4")
    # the split in CNY: 250,000 / 150,000 / 100,000
    assert (pilot[central], pilot[city], pilot[district_col]) == (250000, 150000, 100000)
    assert [tuple(row) for row in totals.iter_rows(min_row=2, values_only=True)] == [
        (zh("Central funds"), 250000, 0, 250000),
        (zh("City funds"), 230000, 0, 230000),
        (zh("District funds"), 100000, 0, 100000),
        (zh("Total"), 580000, 0, 580000),
    ]


def test_pages_in_english(factory: Factory) -> None:
    district = bureau(factory)
    project = pilot_project(factory, district.org, 5, invest_fen=150 * WAN)
    client = district.manager
    client.get("/lang/en")
    quote = client.get(f"{PAGES}/quote", params={"rule": "pilot-project", "project": project})
    assert '<html lang="en">' in quote.text
    assert "Capped at 500,000.00 CNY, the most one award may be." in quote.text
    assert "Cap per award" in quote.text
    award_id = approve(client, rule="pilot-project", project=str(project))
    page = client.get(f"{PAGES}/awards/{award_id}").text
    assert "Split between funders" in page
    assert "Central funds" in page
    ledger = client.get(f"{PAGES}/").text
    assert "Subsidy ledger" in ledger
    assert "Outstanding (CNY)" in ledger
    for text in ("Subsidy ledger", "Approved (CNY)", "Export to Excel", "Filter"):
        assert zh(text) not in ledger
