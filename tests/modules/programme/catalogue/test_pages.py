"""The catalogue pages in Chinese and English: browse, export, publish with errors, mark, plan."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from loom.kernel.web.i18n import LOCALE_COOKIE
from loom.testing.factory import Factory
from tests.modules.programme.catalogue.helpers import (
    API,
    PAGES,
    district,
    one_scene_short,
    project_of,
    publish,
    submitted_assessment,
    zh,
)


def form(**changes: Any) -> dict[str, Any]:
    """Return the publish form's fields for a valid product."""
    data: dict[str, Any] = {
        "name": "扫码点检",
        "scenario_code": "N05",
        "price": "12,000.50",
        "delivery_weeks": "3",
        "deployment": "on_premise",
        "description": "",
        "s.S09": "2",
        "s.S01": "",
        "i.B4": ["J", "I"],
        "i.B5": "",
    }
    data.update(changes)
    return data


def test_catalogue_page_in_chinese_and_english(factory: Factory) -> None:
    d = district(factory)
    publish(d.alpha_client, name="设备点检小程序")
    publish(d.beta_client, name="云端排产", deployment="on_premise")
    page = d.firm_client.get(f"{PAGES}/products")
    assert page.status_code == 200
    text = page.text
    assert zh("小快轻准 products") in text
    assert "设备点检小程序" in text
    assert "云端排产" in text
    assert zh("On-premise deployment") in text
    assert "甬科数智" in text
    assert "9,800.00" in text
    assert zh("Publish a product") not in text  # enterprises do not publish
    d.firm_client.cookies.set(LOCALE_COOKIE, "en")
    english = d.firm_client.get(f"{PAGES}/products").text
    assert "小快轻准 products" in english
    assert "On-premise deployment" in english
    assert zh("On-premise deployment") not in english
    empty = d.firm_client.get(f"{PAGES}/products", params={"q": "没有这个"}).text
    assert "No products match these filters." in empty


def test_catalogue_paginates(factory: Factory) -> None:
    d = district(factory)
    for n in range(27):  # one page holds 25 (PAGE_SIZE)
        publish(d.alpha_client, name=f"产品{n:02d}")
    first = d.firm_client.get(f"{PAGES}/products").text
    assert first.count('data-testid="product-row"') == 25
    second = d.firm_client.get(f"{PAGES}/products", params={"offset": 25}).text
    assert second.count('data-testid="product-row"') == 2
    assert "产品26" in second
    assert "产品26" not in first


def test_excel_export_lists_the_filtered_catalogue(factory: Factory) -> None:
    d = district(factory)
    good = publish(d.alpha_client, name="设备点检小程序", indicators={"B4": ["J", "I"]})
    publish(d.beta_client, name="云端排产", price="45000.5", scenes={"S05": 2, "S01": 3})
    d.bureau_client.put(f"{API}/products/{good['id']}/mark", json={"excellent": True})
    response = d.firm_client.get(f"{PAGES}/products.xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert isinstance(sheet, Worksheet)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == (zh("ID"), zh("Product"), zh("Service provider"))
    assert rows[1][1:6] == ("设备点检小程序", "甬科数智", "N05", "S09 L2", "B4 J,I")
    assert rows[1][6:] == (9800, 2, zh("Cloud deployment"), "海曙区经信局")
    assert rows[2][1:3] == ("云端排产", "衣联软件")
    assert (rows[2][4], rows[2][6], rows[2][9]) == ("S01 L3；S05 L2", 45000.5, None)
    only = d.firm_client.get(f"{PAGES}/products.xlsx", params={"excellent": "yes"})
    marked = openpyxl.load_workbook(io.BytesIO(only.content)).worksheets[0]
    assert [r[1] for r in marked.iter_rows(min_row=2, values_only=True)] == ["设备点检小程序"]


def test_publish_form_names_each_bad_field_then_publishes(factory: Factory) -> None:
    d = district(factory)
    assert d.alpha_client.get(f"{PAGES}/products/new").status_code == 200
    bad = d.alpha_client.post(
        f"{PAGES}/products/new",
        data=form(name=" ", price="12.345", delivery_weeks="0", **{"i.B5": "", "i.B7": "A"}),
    )
    assert bad.status_code == 422
    assert 'data-testid="error-name"' in bad.text
    assert zh("must not be empty") in bad.text
    assert zh("an amount in CNY with at most two decimals") in bad.text
    assert zh("from 1 to 520 weeks") in bad.text
    assert zh("option %(option)s cannot be an upgrade", option="A") in bad.text
    assert zh("The product cannot be saved: %(num)s problems.", num=4) in bad.text
    assert d.alpha_client.get(f"{API}/products/mine").json()["total"] == 0

    made = d.alpha_client.post(f"{PAGES}/products/new", data=form(), follow_redirects=False)
    assert made.status_code == 303, made.text
    product = d.alpha_client.get(f"{API}/products/mine").json()["items"][0]
    assert (product["price_fen"], product["scenes"]) == (1_200_050, {"S09": 2})
    assert (product["indicators"], product["deployment"]) == ({"B4": ["J", "I"]}, "on_premise")
    shown = d.firm_client.get(made.headers["location"]).text
    assert "扫码点检" in shown
    assert "S09" in shown
    assert "12,000.50" in shown


def test_edit_withdraw_and_republish_from_my_products(factory: Factory) -> None:
    d = district(factory)
    pid = publish(d.alpha_client)["id"]
    mine = d.alpha_client.get(f"{PAGES}/products/mine").text
    question = "Withdraw this product? It leaves the catalogue and the planner until you publish"
    assert zh(f"{question} it again.") in mine
    edit = d.alpha_client.get(f"{PAGES}/products/{pid}/edit")
    assert edit.status_code == 200
    assert 'value="9800.00"' in edit.text
    saved = d.alpha_client.post(
        f"{PAGES}/products/{pid}/edit", data=form(name="点检 2.0"), follow_redirects=False
    )
    assert saved.status_code == 303
    assert d.firm_client.get(f"{API}/products/{pid}").json()["name"] == "点检 2.0"
    # another contractor reaches neither the form nor the action
    assert d.beta_client.get(f"{PAGES}/products/{pid}/edit").status_code == 404
    assert d.beta_client.post(f"{PAGES}/products/{pid}/withdraw").status_code == 404
    gone = d.alpha_client.post(f"{PAGES}/products/{pid}/withdraw", follow_redirects=False)
    assert gone.status_code == 303
    assert d.firm_client.get(f"{PAGES}/products/{pid}").status_code == 404
    assert zh("withdrawn") in d.alpha_client.get(f"{PAGES}/products/mine").text
    d.alpha_client.post(f"{PAGES}/products/{pid}/republish")
    assert d.firm_client.get(f"{PAGES}/products/{pid}").status_code == 200


def test_enterprises_cannot_publish_and_the_bureau_marks(factory: Factory) -> None:
    d = district(factory)
    assert d.firm_client.get(f"{PAGES}/products/new").status_code == 403
    assert d.firm_client.get(f"{PAGES}/products/mine").status_code == 403
    pid = publish(d.alpha_client)["id"]
    assert 'data-testid="mark-panel"' not in d.firm_client.get(f"{PAGES}/products/{pid}").text
    marked = d.bureau_client.post(
        f"{PAGES}/products/{pid}/mark",
        data={"excellent": "yes", "note": "验收效果好"},
        follow_redirects=False,
    )
    assert marked.status_code == 303
    page = d.bureau_client.get(f"{PAGES}/products/{pid}").text
    assert "验收效果好" in page
    assert zh("Excellent") in page
    # the enterprise sees the mark, not the bureau's note
    seen = d.firm_client.get(f"{PAGES}/products/{pid}").text
    assert 'data-testid="excellent"' in seen
    assert "验收效果好" not in seen
    assert d.alpha_client.post(f"{PAGES}/products/{pid}/mark", data={}).status_code == 403


def test_plan_page_makes_and_shows_the_plan(factory: Factory) -> None:
    d = district(factory)
    project_id = project_of(factory, d)
    url = f"{PAGES}/projects/{project_id}/plan"
    assert 'data-testid="no-assessments"' in d.firm_client.get(url).text
    assessment_id = submitted_assessment(d.firm_client, one_scene_short())
    publish(d.alpha_client, name="设备点检小程序", price="9800", scenes={"S09": 2})
    before = d.firm_client.get(url)
    assert before.status_code == 200
    assert 'data-testid="plan-form"' in before.text
    assert zh("Plan to level 2") in before.text
    made = d.firm_client.post(url, data={"assessment": assessment_id}, follow_redirects=False)
    assert made.status_code == 303, made.text
    shown = d.firm_client.get(url).text
    assert "设备点检小程序" in shown
    assert "甬科数智" in shown
    assert "¥9,800" in shown
    assert "¥4,900" in shown
    # the contractor reads the plan without the form; the English page says the same
    d.alpha_client.cookies.set(LOCALE_COOKIE, "en")
    theirs = d.alpha_client.get(url).text
    assert "Plan to level 2" in theirs
    assert "设备点检小程序" in theirs
    assert 'data-testid="plan-form"' not in theirs
    refused = d.firm_client.post(url, data={"assessment": assessment_id, "target_level": "7"})
    assert refused.status_code == 422
    assert zh("target_level: one of %(levels)s", levels="1, 2, 3, 4") in refused.text
