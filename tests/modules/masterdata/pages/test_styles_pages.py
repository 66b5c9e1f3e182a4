"""Style pages in Chinese and English: list, form errors, detail totals, calculator, routing."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from loom.kernel.web.i18n import LOCALE_COOKIE
from tests.modules.masterdata.helpers import API, create_op, create_style
from tests.modules.masterdata.pages.helpers import PAGES, seed_shirt, zh


def test_the_style_list_in_chinese_and_english(admin: TestClient) -> None:
    empty = admin.get(f"{PAGES}/styles")
    assert empty.status_code == 200
    assert zh("No styles yet. Add one, or import them from the Excel template.") in empty.text
    create_style(admin, "ST-001", name="男士衬衫")
    create_style(admin, "ST-002", name="女士T恤", customer="Beta")
    page = admin.get(f"{PAGES}/styles").text
    assert page.count('data-testid="style-row"') == 2
    assert "男士衬衫" in page
    assert "白、蓝" in page
    assert zh("Styles") in page
    assert zh("Style code") in page
    found = admin.get(f"{PAGES}/styles", params={"q": "beta"}).text
    assert "女士T恤" in found
    assert "男士衬衫" not in found
    none = admin.get(f"{PAGES}/styles", params={"q": "没有"}).text
    assert zh("No style matches this search.") in none
    admin.cookies.set(LOCALE_COOKIE, "en")
    english = admin.get(f"{PAGES}/styles").text
    assert "Style code" in english
    assert "Colours" in english
    assert zh("Style code") not in english


def test_the_style_list_pages_by_25(admin: TestClient) -> None:
    for n in range(27):
        create_style(admin, f"S{n:02d}")
    first = admin.get(f"{PAGES}/styles").text
    second = admin.get(f"{PAGES}/styles", params={"offset": 25}).text
    assert first.count('data-testid="style-row"') == 25
    assert second.count('data-testid="style-row"') == 2
    assert "S26" in second
    assert "S26" not in first


def test_the_style_form_names_every_bad_field(admin: TestClient) -> None:
    assert admin.get(f"{PAGES}/styles/new").status_code == 200
    form = {"code": " ", "name": "衬衫", "season": "x" * 41, "colours": "白, 白", "sizes": "S"}
    bad = admin.post(f"{PAGES}/styles/new", data=form)
    assert bad.status_code == 422
    assert re.search(r'data-testid="error-code">' + zh("must not be empty"), bad.text)
    assert zh("at most %(limit)s characters", limit=40) in bad.text
    assert zh("%(value)s is listed twice", value="白") in bad.text
    assert 'value="x' in bad.text  # what was typed is shown again
    assert admin.get(f"{API}/styles").json()["total"] == 0

    made = admin.post(
        f"{PAGES}/styles/new",
        data=form | {"code": "ST-9", "season": "", "colours": "白，蓝"},
        follow_redirects=False,
    )
    assert made.status_code == 303
    style = admin.get(f"{API}/styles").json()["items"][0]
    assert (style["code"], style["colours"], style["sizes"]) == ("ST-9", ["白", "蓝"], ["S"])
    assert made.headers["location"] == f"{PAGES}/styles/{style['id']}"

    create_style(admin, "ST-8")
    taken = admin.post(
        f"{PAGES}/styles/{style['id']}/edit",
        data=form | {"code": "ST-8", "season": "", "colours": "白"},
    )
    assert taken.status_code == 409
    assert zh("code: style %(code)s exists already", code="ST-8") in taken.text


def test_the_style_page_totals_the_routing_and_calculates_materials(admin: TestClient) -> None:
    shirt = seed_shirt(admin)
    url = f"{PAGES}/styles/{shirt.style['id']}"
    page = admin.get(url).text
    assert page.count('data-testid="step-row"') == 3
    # SAM 1.25 + 0.80 + 0.45 = 2.50; rates 0.30 + 0.25 (OP-030 has none) = 0.55
    assert 'data-testid="sam-total">2.5000<' in page
    assert 'data-testid="rate-total">0.5500<' in page
    assert zh("%(n)s without a rate in force", n=1) in page
    assert zh("Colour × size matrix") in page
    assert "府绸" in page
    # 10 white S and 5 blue L: fabric 10 × 1.2 + 5 × 1.45 = 19.25 m, buttons 10 × 7 + 5 × 8 = 110
    calc = admin.get(url, params={"q-0-0": "10", "q-1-2": "5"}).text
    table = calc[calc.index('data-testid="requirements"') :]
    assert re.search(r"F-01.*?19\.25</td>", table, re.S)
    assert re.search(r"T-01.*?110</td>", table, re.S)
    assert zh("For %(n)s pieces:", n="15") in calc
    wrong = admin.get(url, params={"q-0-0": "ten"}).text
    assert zh("a whole number of pieces") in wrong
    assert 'data-testid="requirements"' not in wrong


def test_the_routing_form_edits_predecessors_and_names_bad_rows(admin: TestClient) -> None:
    shirt = seed_shirt(admin)
    url = f"{PAGES}/styles/{shirt.style['id']}/routing"
    form = admin.get(url).text
    assert 'value="OP-020"' in form
    assert 'value="OP-010"' in form
    rows = {
        "seq-0": "1",
        "op-0": "OP-010",
        "preds-0": "OP-030",
        "seq-1": "2",
        "op-1": "OP-020",
        "preds-1": "OP-010",
        "seq-2": "3",
        "op-2": "OP-030",
        "preds-2": "OP-020",
        "seq-3": "",
        "op-3": "NOPE",
        "preds-3": "",
    }
    bad = admin.post(url, data=rows)
    assert bad.status_code == 422
    assert re.search(r'data-testid="error-row-3">' + zh("no operation has this code"), bad.text)
    fixed = rows | {"op-3": ""}
    cycle = admin.post(url, data=fixed)
    assert cycle.status_code == 422
    assert (
        zh("the precedence has a cycle: %(cycle)s", cycle="OP-010 → OP-030 → OP-020 → OP-010")
        in cycle.text
    )
    # OP-030 now follows OP-010 directly, and OP-020 moves to the end
    good = fixed | {"preds-0": "", "seq-1": "9", "preds-2": "OP-010"}
    saved = admin.post(url, data=good, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    steps = admin.get(f"{API}/styles/{shirt.style['id']}/routing").json()["steps"]
    ids = [op["id"] for op in shirt.ops]
    assert [(s["operation_id"], s["predecessors"]) for s in steps] == [
        (ids[0], []),
        (ids[2], [ids[0]]),
        (ids[1], [ids[0]]),
    ]


def test_deleting_a_style_asks_first(admin: TestClient) -> None:
    style = create_style(admin)
    create_op(admin)
    ask = admin.get(f"{PAGES}/styles/{style['id']}/delete")
    assert (
        zh(
            "Delete style %(code)s (%(name)s) with its routing and BOM? This cannot be undone.",
            code="ST-001",
            name="男士衬衫",
        )
        in ask.text
    )
    assert admin.get(f"{API}/styles").json()["total"] == 1  # asking deletes nothing
    gone = admin.post(f"{PAGES}/styles/{style['id']}/delete", follow_redirects=False)
    assert gone.status_code == 303
    assert admin.get(f"{API}/styles").json()["total"] == 0
