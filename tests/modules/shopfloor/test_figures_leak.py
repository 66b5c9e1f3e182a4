"""Tenant walls and permissions of the figures, pay and quarantine routes."""

from __future__ import annotations

import io
import re

import openpyxl
from fastapi.testclient import TestClient

from loom.kernel.tenancy.models import OrgKind, Role
from loom.testing.factory import Factory
from loom.testing.plugin import both_backends
from tests.modules.shopfloor.figures_seed import (
    API,
    PAGES,
    Seeded,
    quarantine_entries,
    seed_figures,
)


def _other_factory(factory: Factory) -> TestClient:
    other = factory.org("other-garments", OrgKind.ENTERPRISE, name="Other Co")
    factory.user("bob", (other, Role.ADMIN))
    return factory.client("bob")


def _a_urls(s: Seeded) -> list[str]:
    ids = s.ids
    return [
        f"{API}/lines/{ids['L01']}/dashboard?date=2026-03-10",
        f"{API}/orders/{ids['PO-1']}/wip",
        f"{API}/operators/{ids['W1']}/hours?date=2026-03-10",
        f"{API}/operators/{ids['W1']}/pay?month=2026-03",
        f"{API}/operators/{ids['W1']}/pay/days/2026-03-10",
        f"{PAGES}/lines?line={ids['L01']}&date=2026-03-10",
        f"{PAGES}/lines/{ids['L01']}/live?date=2026-03-10",
        f"{PAGES}/lines/{ids['L01']}/day.xlsx?date=2026-03-10",
        f"{PAGES}/pay/operators/{ids['W1']}?month=2026-03",
        f"{PAGES}/pay/operators/{ids['W1']}?month=2026-03&day=2026-03-10",
        f"{PAGES}/pay/operators/{ids['W1']}/days/2026-03-10",
    ]


@both_backends
def test_another_enterprise_reads_nothing_of_a_s_figures(factory: Factory) -> None:
    s = seed_figures(factory)
    bob = _other_factory(factory)
    for url in _a_urls(s):
        assert s.client.get(url).status_code == 200, url  # control: the owner reads it
        got = bob.get(url)
        assert got.status_code == 404, f"{url}: {got.status_code}"
    statement = bob.get(f"{API}/pay?month=2026-03").json()
    assert (statement["items"], statement["totals"]["pay_e4"]) == ([], 0)
    page = bob.get(f"{PAGES}/pay?month=2026-03")
    assert page.status_code == 200
    assert "王芳" not in page.text
    # the badge as a word: the page's random CSRF token may hold the letters "W1" (it did once)
    badge = re.compile(r"(?<![\w-])W1(?![\w-])")
    assert badge.search(s.client.get(f"{PAGES}/pay?month=2026-03").text)  # control: owner sees it
    assert not badge.search(page.text)
    sheet = bob.get(f"{PAGES}/pay.xlsx?month=2026-03")
    assert sheet.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(sheet.content))
    cells = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert "王芳" not in cells
    assert len(cells) == 6 + 6 + 8  # two headers and the total row of nobody's pay
    # B's own dashboard lists none of A's lines
    own = bob.get(f"{PAGES}/lines")
    assert "缝制一线" not in own.text


@both_backends
def test_another_enterprise_cannot_see_fix_or_discard_a_s_quarantine(factory: Factory) -> None:
    s = seed_figures(factory)
    entries = quarantine_entries(factory, s)
    bob = _other_factory(factory)
    entry = entries["operator"]
    assert bob.get(f"{API}/quarantine").json()["items"] == []
    assert bob.get(f"{API}/quarantine/{entry}").status_code == 404
    fix = bob.post(f"{API}/quarantine/{entry}/fix", json={"operator_code": "W2"})
    assert fix.status_code == 404
    assert bob.post(f"{API}/quarantine/{entry}/discard").status_code == 404
    page_fix = bob.post(f"{PAGES}/quarantine/{entry}/fix", data={"operator_code": "W2"})
    assert page_fix.status_code == 404
    page_discard = bob.post(f"{PAGES}/quarantine/{entry}/discard", data={})
    assert page_discard.status_code == 404
    assert "X99" not in bob.get(f"{PAGES}/quarantine").text
    assert s.client.get(f"{API}/quarantine/{entry}").json()["status"] == "open"


def test_pay_and_quarantine_need_their_permissions(factory: Factory) -> None:
    s = seed_figures(factory)
    factory.user("mona", (s.org, Role.MEMBER))
    member = factory.client("mona")
    # a member reads the line figures but neither pay nor the quarantine
    assert member.get(f"{API}/lines/{s.ids['L01']}/dashboard").status_code == 200
    assert member.get(f"{PAGES}/lines").status_code == 200
    for url in (
        f"{API}/pay",
        f"{API}/operators/{s.ids['W1']}/pay",
        f"{API}/operators/{s.ids['W1']}/pay/days/2026-03-10",
        f"{PAGES}/pay",
        f"{PAGES}/pay.xlsx",
        f"{PAGES}/pay/operators/{s.ids['W1']}",
        f"{API}/quarantine",
        f"{PAGES}/quarantine",
    ):
        assert member.get(url).status_code == 403, url
    tabs = member.get(f"{PAGES}/lines").text
    assert f'href="{PAGES}/pay"' not in tabs  # the tab is hidden, not just refused
    device = factory.token_client(factory.token(s.org, ["shopfloor.event.write"]))
    assert device.get(f"{API}/pay").status_code == 403
    assert device.get(f"{API}/orders/{s.ids['PO-1']}/wip").status_code == 403
    reader = factory.token_client(factory.token(s.org, ["shopfloor.pay.read"]))
    assert reader.get(f"{API}/pay?month=2026-03").json()["totals"]["pay"] == "22.835"
    assert reader.post(f"{API}/quarantine/1/discard").status_code == 403
