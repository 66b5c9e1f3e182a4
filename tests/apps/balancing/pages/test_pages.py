"""The balancing pages in Chinese (the default) and English: list, form, plan, edits, compare."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from loom.apps.balancing.app import HERE
from loom.kernel.tenancy.models import Role
from loom.kernel.web.i18n import Catalogues
from loom.kernel.web.templating import KERNEL_TRANSLATIONS
from loom.testing.factory import Factory, OrgRef
from tests.apps.balancing.helpers import API, Shop, create_plan, station_of

PAGES = "/apps/balancing"
CATALOGUES = Catalogues([KERNEL_TRANSLATIONS, HERE / "translations"])


def zh(msgid: str, **params: Any) -> str:
    """Return the Chinese text of ``msgid``; a missing translation fails the test."""
    text = CATALOGUES.gettext("zh_CN", msgid)
    assert text != msgid, f"no zh_CN translation for {msgid!r}"
    return text % params if params else text


def _form(shop: Shop, **changes: str) -> dict[str, str]:
    form = {
        "name": "早班",
        "style_id": str(shop.style_id),
        "line_id": str(shop.line_id),
        "mode": "target",
        "target_per_hour": "100",
        "operators": "",
    }
    return form | changes


def test_the_empty_list_invites_a_first_plan(admin: TestClient) -> None:
    page = admin.get(f"{PAGES}/plans")
    assert page.status_code == 200
    assert zh("No balancing plans yet: balance a style to make the first one.") in page.text
    assert zh("Line balancing") in page.text
    # the nav item leads here
    assert 'href="/apps/balancing/plans"' in admin.get("/").text


def test_the_form_names_each_bad_field(admin: TestClient, shop: Shop) -> None:
    assert admin.get(f"{PAGES}/plans/new").status_code == 200
    bad = admin.post(f"{PAGES}/plans/new", data=_form(shop, name=" ", target_per_hour="abc"))
    assert bad.status_code == 422
    assert 'data-testid="error-name"' in bad.text
    assert zh("must not be empty") in bad.text
    assert 'data-testid="error-target_per_hour"' in bad.text
    assert zh("a whole number from 1 to %(max)s", max=10000) in bad.text
    too_many = admin.post(f"{PAGES}/plans/new", data=_form(shop, mode="operators", operators="9"))
    assert too_many.status_code == 422
    assert zh("the line has only %(n)s operators", n=4) in too_many.text


def test_balancing_a_style_in_the_browser(admin: TestClient, shop: Shop) -> None:
    made = admin.post(f"{PAGES}/plans/new", data=_form(shop), follow_redirects=False)
    assert made.status_code == 303
    url = made.headers["location"]
    plan_id = int(url.rsplit("/", 1)[1])
    page = admin.get(url)
    assert page.status_code == 200
    assert zh("proved optimal") in page.text
    assert page.text.count('data-testid="station"') == 4
    assert page.text.count('data-testid="bottleneck"') == 1
    assert 'class="chart"' in page.text
    assert '"markLine"' in page.text.replace("&#34;", '"')
    assert zh("The plan keeps every rule: machine types, skills, precedence and splits.") in (
        page.text
    )
    listed = admin.get(f"{PAGES}/plans?q=早")
    assert listed.text.count('data-testid="plan-row"') == 1
    assert "早班" in listed.text
    assert plan_id > 0


def test_a_hand_edit_redraws_the_board_only(admin: TestClient, shop: Shop) -> None:
    plan = create_plan(admin, shop)
    where_b = station_of(plan, shop.ops["B"])
    edit = {"op": "move", "station": str(where_b), "task_id": str(shop.ops["B"])}
    htmx = {"HX-Request": "true"}
    url = f"{PAGES}/plans/{plan['id']}/edit"
    board = admin.post(url, data=edit | {"to_station": "1"}, headers=htmx)
    assert board.status_code == 200
    assert "<html" not in board.text  # the board alone, not the whole page
    assert 'id="board"' in board.text
    assert 'data-revision="2"' in board.text
    # A + B on station 1: 0.40 + 0.50 = 0.900 min, above the 0.60 cycle time
    assert zh("Station %(station)s is loaded above the cycle time.", station=1) in board.text
    assert re.search(r'data-station="1" data-load="9000"', board.text)
    assert 'data-testid="undo"' in board.text

    refused = admin.post(url, data=edit | {"to_station": "99"}, headers=htmx)
    assert refused.status_code == 422
    assert 'data-testid="edit-error"' in refused.text
    assert zh("a station from 1 to %(n)s", n=4) in refused.text

    undone = admin.post(f"{PAGES}/plans/{plan['id']}/undo", follow_redirects=False)
    assert undone.status_code == 303  # without HTMX: back to the plan
    assert admin.get(f"{API}/plans/{plan['id']}").json()["revision"] == 1


def test_english_pages(admin: TestClient, shop: Shop) -> None:
    plan = create_plan(admin, shop)
    admin.cookies.set("loom_lang", "en")
    page = admin.get(f"{PAGES}/plans/{plan['id']}")
    assert "Balance efficiency" in page.text
    assert "proved optimal" in page.text
    assert "Lockstitch" in page.text  # machine types in English
    assert "Line balancing" in admin.get(f"{PAGES}/plans").text


def test_a_viewer_sees_the_plan_without_the_editing_tools(
    factory: Factory, factory_org: OrgRef, admin: TestClient, shop: Shop
) -> None:
    plan = create_plan(admin, shop)
    factory.user("vic", (factory_org, Role.VIEWER))
    viewer = factory.client("vic")
    page = viewer.get(f"{PAGES}/plans/{plan['id']}")
    assert page.status_code == 200
    assert 'data-testid="move"' not in page.text
    assert 'data-testid="publish"' not in page.text
    assert 'data-testid="move"' in admin.get(f"{PAGES}/plans/{plan['id']}").text
    assert viewer.get(f"{PAGES}/plans/new").status_code == 403


def test_publishing_asks_first(admin: TestClient, shop: Shop) -> None:
    plan = create_plan(admin, shop)
    url = f"{PAGES}/plans/{plan['id']}/publish"
    ask = admin.get(url)
    assert 'data-testid="publish-question"' in ask.text
    done = admin.post(url, follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"].endswith("?published=1")
    shown = admin.get(done.headers["location"])
    assert 'data-testid="published-notice"' in shown.text
    assert zh("published v%(v)s", v=1) in shown.text

    anonymous = create_plan(admin, shop, line=False)
    blocked = admin.get(f"{PAGES}/plans/{anonymous['id']}/publish")
    assert zh("the plan has no production line") in blocked.text
    refused = admin.post(f"{PAGES}/plans/{anonymous['id']}/publish")
    assert refused.status_code == 422


def test_compare_page(admin: TestClient, shop: Shop) -> None:
    first = create_plan(admin, shop, name="甲")
    second = create_plan(admin, shop, name="乙", line=False)
    page = admin.get(f"{PAGES}/plans/compare", params={"ids": [first["id"], second["id"]]})
    assert page.status_code == 200
    assert page.text.count('data-testid="compare-chart"') == 2
    assert "甲" in page.text
    assert "乙" in page.text
    one = admin.get(f"{PAGES}/plans/compare", params={"ids": [first["id"]]})
    assert one.status_code == 422
    assert zh("choose %(min)s or %(max)s different plans", min=2, max=3) in one.text


def test_pagination_rename_copy_and_delete(admin: TestClient, shop: Shop) -> None:
    plan = create_plan(admin, shop)
    for n in range(25):
        admin.post(f"{API}/plans/{plan['id']}/copy", json={"name": f"copy {n:02d}"})
    first = admin.get(f"{PAGES}/plans")
    assert first.text.count('data-testid="plan-row"') == 25
    assert "offset=25" in first.text
    assert admin.get(f"{PAGES}/plans?offset=25").text.count('data-testid="plan-row"') == 1

    renamed = admin.post(
        f"{PAGES}/plans/{plan['id']}/rename", data={"name": "晚班"}, follow_redirects=False
    )
    assert renamed.status_code == 303
    blank = admin.post(f"{PAGES}/plans/{plan['id']}/rename", data={"name": ""})
    assert blank.status_code == 422
    assert 'data-testid="error-name"' in blank.text

    copied = admin.post(
        f"{PAGES}/plans/{plan['id']}/copy", data={"name": "晚班 B"}, follow_redirects=False
    )
    assert copied.status_code == 303
    assert copied.headers["location"] != f"{PAGES}/plans/{plan['id']}"

    ask = admin.get(f"{PAGES}/plans/{plan['id']}/delete")
    assert 'data-testid="delete-question"' in ask.text
    assert "晚班" in ask.text
    gone = admin.post(f"{PAGES}/plans/{plan['id']}/delete", follow_redirects=False)
    assert gone.status_code == 303
    assert admin.get(f"{PAGES}/plans/{plan['id']}").status_code == 404
