"""Registry pages: list, form, delete, detail forms, in Chinese and English."""

from __future__ import annotations

import html

import pytest

from loom.kernel.tenancy.models import OrgKind, Role
from loom.modules.programme.models import PilotApplication
from loom.testing.factory import Factory
from tests.modules.programme.registry_service import (
    API,
    PAGES,
    add,
    as_bureau,
    body,
    bureau,
    code,
    good_values,
    upload,
    workbook,
    zh,
)
from tests.modules.programme.registry_service.test_i18n import template_msgids


def form(n: int, **changes: str) -> dict[str, str]:
    """The entry form of enterprise ``n`` as a browser posts it."""
    values = {k: str(v) for k, v in body(n).items()}
    values["cloud"] = "yes"
    values.update(changes)
    return values


def test_an_empty_registry_says_what_to_do_in_both_languages(factory: Factory) -> None:
    _district, client = bureau(factory)
    page = client.get(PAGES)
    assert page.status_code == 200
    assert f"<h1>{zh('Enterprise registry')}</h1>" in page.text
    empty = (
        "The registry is empty. Add enterprises one by one, or import them from the Excel template."
    )
    assert zh(empty) in page.text
    assert 'data-testid="new-enterprise"' in page.text
    assert 'data-testid="export"' not in page.text  # nothing to export yet
    client.cookies.set("loom_lang", "en")
    english = client.get(PAGES)
    assert "<h1>Enterprise registry</h1>" in english.text
    assert empty in english.text


def test_the_list_searches_filters_and_pages(factory: Factory) -> None:
    _district, client = bureau(factory)
    assert upload(client, workbook([good_values(n) for n in range(1, 28)])).status_code == 201
    first = client.get(PAGES)
    assert first.text.count("/apps/programme/registry/") > 25
    # 27 entries, 25 a page (pages.common.PAGE_SIZE), sorted by name: 第1, 第10 … 第19, 第2 …
    assert zh("%(start)s–%(end)s of %(total)s", start=1, end=25, total=27) in first.text
    rows = first.text.split('data-testid="registry-table"', 1)[1].count("<tr>") - 1
    assert rows == 25
    assert "offset=25" in first.text
    second = client.get(PAGES, params={"offset": 25})
    assert second.text.split('data-testid="registry-table"', 1)[1].count("<tr>") - 1 == 2
    found = client.get(PAGES, params={"q": "第13服饰"})
    assert "宁波第13服饰有限公司" in found.text
    assert "宁波第12服饰有限公司" not in found.text
    none = client.get(PAGES, params={"sector": "home_appliances"})
    assert zh("No enterprise matches these filters.") in none.text
    export = client.get(f"{PAGES}.xlsx", params={"q": "第13服饰"})
    assert export.status_code == 200
    assert export.headers["content-disposition"].startswith("attachment;")


def test_the_form_names_every_bad_field(factory: Factory) -> None:
    _district, client = bureau(factory)
    bad = form(1, credit_code=code(1)[:17] + "0", employees="-3", town="")
    refused = client.post(f"{PAGES}/new", data=bad)
    assert refused.status_code == 422
    assert zh("Some fields need correcting: see the messages below.") in refused.text
    # Chinese pages show the sheet's own, precise message under each field
    assert f"第 18 位校验码应为 {code(1)[17]}，现在是 0" in refused.text
    assert 'data-testid="error-employees">不能为负数<' in refused.text
    assert 'data-testid="error-town">必填，不能为空<' in refused.text
    assert f'value="{code(1)[:17]}0"' in refused.text  # what was typed is kept
    client.cookies.set("loom_lang", "en")
    english = client.post(f"{PAGES}/new", data=bad)
    assert "Enter a whole number of employees, 0 or more." in english.text
    assert "Choose the town or street." in english.text
    assert client.get(API).json()["total"] == 0


def test_create_edit_and_a_duplicate_through_the_form(factory: Factory) -> None:
    _district, client = bureau(factory)
    created = client.post(f"{PAGES}/new", data=form(1), follow_redirects=False)
    assert created.status_code == 303
    detail = client.get(created.headers["location"])
    assert "宁波第1服饰有限公司" in detail.text
    assert zh("Sportswear and leisure apparel") in detail.text
    again = client.post(f"{PAGES}/new", data=form(2, credit_code=code(1)))
    assert again.status_code == 409
    assert (
        zh(
            "credit_code: %(code)s is already in the registry as %(name)s",
            code=code(1),
            name="宁波第1服饰有限公司",
        )
        in again.text
    )
    entry_id = client.get(API).json()["items"][0]["id"]
    edit = client.get(f"{PAGES}/{entry_id}/edit")
    assert 'value="2501.50"' in edit.text
    assert '<option value="yes" selected>' in edit.text
    saved = client.post(
        f"{PAGES}/{entry_id}/edit",
        data=form(1, employees="260", cloud="no"),
        follow_redirects=False,
    )
    assert saved.status_code == 303
    entry = client.get(f"{API}/{entry_id}").json()
    assert (entry["employees"], entry["cloud"]) == (260, False)


def test_delete_asks_first_and_refuses_while_an_application_exists(factory: Factory) -> None:
    district, client = bureau(factory)
    gone = add(client, 1)
    kept = add(client, 2)
    question = client.get(f"{PAGES}/{gone['id']}/delete")
    asked = "Delete %(name)s (%(code)s) from the registry? This cannot be undone."
    assert zh(asked, name=gone["name"], code=gone["credit_code"]) in question.text
    assert client.get(f"{API}/{gone['id']}").status_code == 200  # asking deletes nothing
    done = client.post(f"{PAGES}/{gone['id']}/delete", follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, PAGES)
    assert client.get(f"{API}/{gone['id']}").status_code == 404

    with as_bureau(factory, district) as (db, _scope):
        db.add(PilotApplication(org_id=district.id, enterprise_id=kept["id"], sector="apparel"))
    refused = client.post(f"{PAGES}/{kept['id']}/delete")
    assert refused.status_code == 409
    reason = (
        "%(name)s cannot be deleted while pilot applications (%(applications)s), "
        "projects (%(projects)s) or survey needs (%(needs)s) refer to it"
    )
    text = zh(reason, name=kept["name"], applications=1, projects=0, needs=0)
    assert text in refused.text
    assert client.get(f"{API}/{kept['id']}").status_code == 200


def test_detail_forms_link_and_record_a_level(factory: Factory) -> None:
    _district, client = bureau(factory)
    owner = factory.org("yongfeng", OrgKind.ENTERPRISE, name="永丰服饰")
    factory.user("boss", (owner, Role.ADMIN))
    entry = add(client, 1)
    url = f"{PAGES}/{entry['id']}"
    page = client.get(url)
    assert f'<option value="{owner.id}"' in page.text
    linked = client.post(f"{url}/link", data={"org_id": str(owner.id)}, follow_redirects=False)
    assert linked.status_code == 303
    bad_day = client.post(f"{url}/level", data={"level": "2", "assessed_on": "2025-13-01"})
    assert bad_day.status_code == 422
    assert zh("Enter a date as YYYY-MM-DD.") in bad_day.text
    client.post(f"{url}/level", data={"level": "2", "assessed_on": "2025-12-01"})
    client.post(f"{url}/smart-factory", data={"named_on": "2025-11-20"})
    shown = client.get(url).text
    assert zh("Level %(n)s", n=2) in shown
    assert zh("recorded by the bureau") in shown
    assert zh("named on %(day)s", day="2025-11-20") in shown

    boss = factory.client("boss")
    theirs = boss.get(url)
    assert theirs.status_code == 200
    assert "永丰服饰" in theirs.text
    assert 'data-testid="link-form"' not in theirs.text
    listing = boss.get(PAGES)
    assert "宁波第1服饰有限公司" in listing.text
    assert 'data-testid="new-enterprise"' not in listing.text
    assert boss.get(f"{url}/edit").status_code == 403


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_every_page_renders_in_both_languages(factory: Factory, locale: str) -> None:
    _district, client = bureau(factory)
    entry_id = add(client, 1)["id"]
    client.cookies.set("loom_lang", locale)
    english = sorted(m for m in template_msgids() if " " in m and "%(" not in m)
    for url in ("", "/new", f"/{entry_id}", f"/{entry_id}/edit", f"/{entry_id}/delete", "/import"):
        page = client.get(f"{PAGES}{url}")
        assert page.status_code == 200, url
        assert f'<html lang="{"zh-CN" if locale == "zh_CN" else "en"}">' in page.text
        shown = [m for m in english if html.escape(m) in page.text]
        if locale == "zh_CN":
            assert shown == [], f"{url} shows untranslated texts: {shown}"
        else:
            assert shown, f"{url} shows none of the registry's English texts"
