"""Browser journey of the shop floor: the factory orders, cuts, prints tickets and watches scans.

The demo factory (yongfeng-apparel, seeded with the YF-TEE style, lines YF-L1/YF-L2 and a
morning of scans) creates a production order through the form, plans and cuts a lay, opens
the bundle tickets, then runs ``loom simulate shopfloor --via http`` in a subprocess against
the served app and watches the line dashboard (HTMX poll, no reload), the order board and the
pay statement move. The English run walks order → bundles → tickets → WIP → pay on the same
server and reads the scans as the dashboard's figures of the seeded morning (no simulator: it
is the slow step and the zh run proves it). Screenshots land in docs/screenshots/ for the
documentation, the key steps as factory-<step>-<lang>.png.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from loom.kernel.db.base import utcnow
from loom.modules.shopfloor.engine.figures import local_today
from tests.browser.languages import role_shot
from tests.browser.shopfloor_steps import (
    CHART_DATA,
    FIRST_LAY_PIECES,
    FIRST_OPERATION,
    MORNING_PIECES_PER_LINE,
    ORDERS,
    RATES_PER_GARMENT,
    ROUTING_STEPS,
    SEEDED_ORDER,
    SIM_EVENTS,
    Served,
    board_finished,
    card,
    create_order,
    en,
    factory_page,
    line_id,
    open_tickets,
    pay_total,
    plan_and_cut_first_lay,
    run_simulator,
    served,
    shot,
    simulated,
    wip,
    zh,
)
from tests.browser.test_journeys import browser

pytestmark = pytest.mark.browser
# fixtures: imported so that pytest finds them in this module
__all__ = ["browser", "factory_page", "served"]


def test_factory_cuts_an_order_and_watches_the_simulated_floor(
    factory_page: Page, served: Served
) -> None:
    page, t = factory_page, zh
    l1 = line_id(served, "YF-L1")
    today = local_today(utcnow())

    # The line dashboard before anything: the seeded morning on YF-L1.
    page.goto(f"/apps/shopfloor/lines?line={l1}")
    expect(page.get_by_test_id("line-cards")).to_be_visible()
    assert card(page, t("Pieces done")) == MORNING_PIECES_PER_LINE * ROUTING_STEPS
    assert card(page, t("Garments finished")) == MORNING_PIECES_PER_LINE
    wip_before = wip(page)
    first_op = next(iter(wip_before))
    assert first_op.startswith(f"{FIRST_OPERATION} ")

    order_no = "PO-JOURNEY-ZH"
    order_id = create_order(page, t, order_no)
    facts = page.get_by_test_id("order-facts")
    expect(facts).to_contain_text("YF-TEE")
    expect(facts).to_contain_text("YF-L1")
    # ordered pieces: 20+40+40+20 + 30+30
    expect(facts).to_contain_text("180")
    expect(page.get_by_test_id("cell-白-M")).to_contain_text("0 / 40")
    plan_and_cut_first_lay(page, t)
    expect(page.get_by_test_id("cell-白-M")).to_contain_text("40 / 40")
    expect(page.get_by_test_id("cell-黑-M")).to_contain_text("0 / 30")

    open_tickets(page, t, order_no)
    role_shot(page, "factory", "tickets", "zh_CN", full_page=False)  # the sheet runs on
    assert f"/orders/{order_id}/tickets" in page.url

    # The cut pieces wait at the first operation of YF-L1; nothing else moved.
    page.goto(f"/apps/shopfloor/lines?line={l1}")
    wip_cut = wip(page)
    assert wip_cut[first_op] == wip_before[first_op] + FIRST_LAY_PIECES
    assert {k: v for k, v in wip_cut.items() if k != first_op} == {
        k: v for k, v in wip_before.items() if k != first_op
    }

    assert board_finished(page, SEEDED_ORDER) == MORNING_PIECES_PER_LINE
    assert board_finished(page, order_no) == 0
    pay_before = pay_total(page)
    assert pay_before == 2 * MORNING_PIECES_PER_LINE * RATES_PER_GARMENT  # two lines' mornings

    # Keep the dashboard open while the simulator sends scans; HTMX must bring them in.
    page.goto(f"/apps/shopfloor/lines?line={l1}")
    expect(page.locator("#line-output canvas")).to_have_count(1)
    expect(page.get_by_test_id("line-live")).to_have_attribute("hx-trigger", "every 5s")
    done_before = card(page, t("Pieces done"))
    output_before = card(page, t("Garments finished"))
    page.evaluate("window.notReloaded = true")

    since = utcnow()
    output = run_simulator(served)
    assert f"sent {SIM_EVENTS} events" in output, output
    assert f"accepted {SIM_EVENTS}, duplicates 0, quarantined 0, rejected 0" in output, output
    added = simulated(served, since, l1)
    # with the floor's pace the simulated hours finish garments on YF-L1 (see SIM_EVENTS)
    assert added.done > 0, (added, output)
    assert added.finished > 0, (added, output)
    assert added.first_op > 0, (added, output)

    pieces_card = page.locator(".card").filter(
        has=page.locator(".card-title", has_text=t("Pieces done"))
    )
    # the next poll (every 5 s) shows the new figures: exactly what the raw scans add
    expect(pieces_card.locator(".card-value")).to_have_text(
        f"{int(done_before) + added.done:,}", timeout=20_000
    )
    output_after = card(page, t("Garments finished"))
    assert output_after == output_before + added.finished
    # the same chart instance got the new hours: its bars add up to the card
    assert sum(page.evaluate(CHART_DATA, "line-output")) == output_after
    assert page.evaluate("window.notReloaded") is True  # updated in place, never reloaded
    expect(page.locator("#line-output canvas")).to_have_count(1)
    # every piece done at the first operation left its queue (nothing new was cut meanwhile)
    assert wip(page)[first_op] == wip_cut[first_op] - added.first_op
    shot(page, "line-dashboard-zh")
    assert page.get_by_test_id("line-title").inner_text().count(today.isoformat()) == 1

    assert added.order_finished > MORNING_PIECES_PER_LINE
    assert board_finished(page, SEEDED_ORDER) == added.order_finished  # morning + simulated
    shot(page, "order-board-zh")
    pay_after = pay_total(page)
    assert pay_after == pay_before + added.pay
    role_shot(page, "factory", "pay", "zh_CN")


def test_factory_cuts_an_order_in_english(factory_page: Page, served: Served) -> None:
    page, t = factory_page, en
    l1 = line_id(served, "YF-L1")
    page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(f"/apps/shopfloor/lines?line={l1}")
    wip_before = wip(page)
    first_op = next(iter(wip_before))

    order_no = "PO-JOURNEY-EN"
    create_order(page, t, order_no)
    expect(page.get_by_test_id("order-facts")).to_contain_text("Journey Retail")
    plan_and_cut_first_lay(page, t)
    open_tickets(page, t, order_no)
    role_shot(page, "factory", "tickets", "en", full_page=False)
    page.goto(ORDERS)
    expect(page.locator("h1")).to_have_text(t("Production orders"))
    expect(page.get_by_test_id(f"order-{order_no}")).to_contain_text("YF-L1")

    # scans and WIP: the morning's scans in the cards, the cut pieces waiting at the first step
    page.goto(f"/apps/shopfloor/lines?line={l1}")
    expect(page.locator("h1")).to_have_text(t("Line dashboard"))
    assert card(page, t("Pieces done")) >= MORNING_PIECES_PER_LINE * ROUTING_STEPS
    live = page.get_by_test_id("line-live")
    expect(live.get_by_role("heading", name=t("Work in progress by operation"))).to_be_visible()
    expect(page.get_by_test_id("wip-table")).to_contain_text(t("Pieces waiting"))
    assert wip(page)[first_op] == wip_before[first_op] + FIRST_LAY_PIECES
    page.goto("/apps/shopfloor/pay")
    expect(page.get_by_test_id("pay-total")).to_contain_text(t("Month total, all operators"))
    role_shot(page, "factory", "pay", "en")
