"""N or X per sector: counted over the sector's selected pilots, against the plan's threshold."""

from __future__ import annotations

from loom.modules.programme.engine import MESSAGES, builtin_plan_text
from loom.modules.programme.service import plans
from loom.testing.factory import Factory
from loom.testing.plugin import both_backends
from tests.modules.programme.needs import (
    API,
    PAGES,
    bureau,
    enterprise,
    record,
    service_session,
    zh,
)


@both_backends
def test_exactly_the_threshold_is_n_and_one_pilot_fewer_is_x(factory: Factory) -> None:
    b = bureau(factory)
    p1, p2, p3, _p4 = (enterprise(factory, b.org, n) for n in range(1, 5))
    # not counted: a candidate whose application is still submitted, and a pilot of NEV parts
    candidate = enterprise(factory, b.org, 5, status="submitted")
    other_sector = enterprise(factory, b.org, 6, sector="nev_parts")
    record(b.client, p1, "bundle-scan")
    record(b.client, p2, "bundle-scan", stage="operations", need_title="扫码报工")
    record(b.client, candidate, "bundle-scan")
    record(b.client, p3, "cad-nesting", need_title="智能排料")
    record(b.client, candidate, "cad-nesting")
    record(b.client, other_sector, "bundle-scan")

    found = b.client.get(f"{API}/classification", params={"sector": "apparel"}).json()
    # the plan's default threshold is 0.5; the sector has 4 selected pilots (1–4)
    assert (found["threshold"], found["n_count"], found["x_count"]) == ("0.5000", 1, 1)
    assert [p["name"] for p in found["sector_pilots"]] == [f"海曙第{n}服饰" for n in range(1, 5)]
    scan, nesting = found["needs"]
    # bundle-scan: pilots 1 and 2 of 4 = 1/2 >= 1/2, so N (the candidate is not counted)
    assert (scan["need_key"], scan["kind"], scan["pilots"], scan["sector_pilots"]) == (
        "bundle-scan",
        "N",
        2,
        4,
    )
    assert scan["share"] == "0.5000"
    assert [e["name"] for e in scan["enterprises"]] == ["海曙第1服饰", "海曙第2服饰"]
    assert scan["stages"] == ["manufacturing", "operations"]
    assert scan["title"] == "扎包扫码报工"  # the most used title: 2 of its 3 rows
    assert scan["notes"] == [
        "1 enterprises with this need are not pilots of the sector and were not counted"
    ]
    # cad-nesting: pilot 3 alone, 1/4 < 1/2, so X — one pilot below the threshold
    assert (nesting["need_key"], nesting["kind"], nesting["pilots"], nesting["share"]) == (
        "cad-nesting",
        "X",
        1,
        "0.2500",
    )
    # the NEV parts pilot's need is classified in its own sector: 1 of 1 pilot
    nev = b.client.get(f"{API}/classification", params={"sector": "nev_parts"}).json()
    assert [(n["need_key"], n["kind"], n["pilots"], n["sector_pilots"]) for n in nev["needs"]] == [
        ("bundle-scan", "N", 1, 1)
    ]


def test_the_threshold_comes_from_the_bureaus_plan(factory: Factory) -> None:
    b = bureau(factory)
    pilots = [enterprise(factory, b.org, n) for n in range(1, 5)]
    for pilot in pilots[:3]:
        record(b.client, pilot, "mes-lite")
    for pilot in pilots[:2]:
        record(b.client, pilot, "bundle-scan")
    text = builtin_plan_text().replace('"n_share_threshold": 0.5', '"n_share_threshold": 0.75')
    assert text != builtin_plan_text()
    with service_session(factory, b.org) as (session, scope):
        plans.publish(session, scope, text, note="三成以上改为四分之三")
    found = b.client.get(f"{API}/classification", params={"sector": "apparel"}).json()
    # 3/4 = 0.75 reaches 0.75: N; 2/4 = 0.5 is now below it: X
    assert found["threshold"] == "0.7500"
    assert [(n["need_key"], n["kind"]) for n in found["needs"]] == [
        ("mes-lite", "N"),
        ("bundle-scan", "X"),
    ]


def test_a_sector_without_pilots_lists_every_need_as_x(factory: Factory) -> None:
    b = bureau(factory)
    candidate = enterprise(factory, b.org, 1, sector="home_appliances", status="submitted")
    record(b.client, candidate, "energy-meter")
    found = b.client.get(f"{API}/classification", params={"sector": "home_appliances"}).json()
    (need,) = found["needs"]
    assert (need["kind"], need["share"], need["sector_pilots"]) == ("X", None, 0)
    assert "the sector has no pilots yet, so every need counts as X" in need["notes"]
    page = b.client.get(PAGES, params={"sector": "home_appliances"}).text
    # the note in the engine's own Chinese words
    assert MESSAGES["no_sector_pilots"][1] in page


def test_an_unknown_sector_is_named(factory: Factory) -> None:
    b = bureau(factory)
    refused = b.client.get(f"{API}/classification", params={"sector": "textiles"})
    assert refused.status_code == 422
    assert refused.json()["error"]["details"][0]["field"] == "sector"
    assert b.client.get(PAGES, params={"sector": "textiles"}).status_code == 422


def test_the_page_shows_shares_and_badges(factory: Factory) -> None:
    b = bureau(factory)
    p1, p2, p3, _p4 = (enterprise(factory, b.org, n) for n in range(1, 5))
    record(b.client, p1)
    record(b.client, p2)
    record(b.client, p3, "cad-nesting", need_title="智能排料")
    page = b.client.get(PAGES).text
    scan = page.split('data-testid="class-bundle-scan"', 1)[1].split("</tr>", 1)[0]
    assert "2/4 (50%)" in scan
    assert f"N · {zh('common')}" in scan
    nesting = page.split('data-testid="class-cad-nesting"', 1)[1].split("</tr>", 1)[0]
    assert "1/4 (25%)" in nesting
    assert f"X · {zh('individual')}" in nesting
    assert 'data-testid="threshold">50%<' in page
    assert 'data-testid="n-count">1<' in page
