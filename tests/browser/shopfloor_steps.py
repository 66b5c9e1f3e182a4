"""Steps and fixtures of the shop-floor browser journey (test_shopfloor_journey.py).

The served demo (one per importing test module), the factory's logged-in page, the form and
dashboard steps, and the simulator run with what its scans add, read from the raw events.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Locator, Page, expect
from sqlalchemy import func, select

from loom.demo import DEMO_PASSWORD
from loom.kernel.db.base import utcnow
from loom.kernel.db.session import session_scope
from loom.modules.masterdata.models import Operation, ProductionLine
from loom.modules.shopfloor.engine.figures import day_window, local_today
from loom.modules.shopfloor.models import ProductionOrder, ScanEvent
from loom.testing.browser import open_page
from tests.browser.languages import text
from tests.browser.test_journeys import TIMEOUT_MS, demo_app, log_in, serving

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ORDERS = "/apps/shopfloor/orders"
ORG = "yongfeng-apparel"
ENTRY_POINT = "from loom.cli import main; main()"
#: the seeded order on YF-L1 (seed_sample_factory numbers orders PREFIX-PO00n per line)
SEEDED_ORDER = "YF-PO001"
#: 白 S20 M40 L40 XL20 and 黑 M30 L30. With the default limits (60 plies, 6 garments per
#: marker) the planner covers 白 with one lay of 20 plies × S1 M2 L2 XL1 (120 pieces; the
#: 40-ply candidate M1 L1 cuts only 80) and 黑 with one lay of 30 plies × M1 L1.
QUANTITIES = {("白", "S"): 20, ("白", "M"): 40, ("白", "L"): 40, ("白", "XL"): 20}
QUANTITIES |= {("黑", "M"): 30, ("黑", "L"): 30}
FIRST_LAY_PIECES = 120
#: bundles of 10 plies: each of the 6 garments per ply of lay 1 is a 20-ply stack → 2 bundles
BUNDLE_SIZE = 10
FIRST_LAY_BUNDLES = 12
#: YF-TEE's routing has nine operations (service/sample.py), one coupon each
ROUTING_STEPS = 9
#: seed.py: 12 bundles of 20 pieces per line through all nine operations this morning
MORNING_PIECES_PER_LINE = 12 * 20
#: piece rates of the nine operations (sample.py): 0.08+0.16+0.11+0.20+0.17+0.12+0.12+0.06+0.09
RATES_PER_GARMENT = Decimal("1.11")
#: the first operation of YF-TEE's routing: cut pieces wait there
FIRST_OPERATION = "YF-T10"
#: 300 scans at the demo floor's pace (24 operators, ~16 min per 20-piece bundle) are about
#: three and a half working hours from the seeded morning's last scan (10:04): all on one day
SIM_EVENTS = 300
#: the data of a chart's first series, read from its live ECharts instance
CHART_DATA = """id => window.echarts.getInstanceByDom(document.getElementById(id))
    .getOption().series[0].data"""


#: the page text in each language, from the server's catalogues (zh_CN must be translated)
zh = partial(text, "zh_CN")
en = partial(text, "en")


def shot(page: Page, name: str, *, full_page: bool = True) -> None:
    """Save a screenshot as docs/screenshots/shopfloor-NAME.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"shopfloor-{name}.png"), full_page=full_page)


def number(text: str) -> Decimal:
    """Return the number a page shows ("4,320", "1,065.60", "87.5%")."""
    cleaned = text.strip().replace(",", "").rstrip("%")
    return Decimal(cleaned)


@dataclass
class Served:
    """The served demo app, its base URL and what the simulator subprocess needs."""

    app: FastAPI
    url: str

    def env(self) -> dict[str, str]:
        """Return an environment that points ``loom`` at the served app's database."""
        settings = self.app.state.loom.settings
        return os.environ | {
            "LOOM_ENV": "test",
            "LOOM_DATABASE_URL": settings.effective_database_url,
            "LOOM_SECRET_KEY": settings.secret_key,
            "LOOM_DATA_DIR": str(settings.data_dir),
        }


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """Serve the demo on its own database for this module."""
    # the seeded morning and the simulated hours are "today": do not straddle local midnight
    _, midnight = day_window(local_today(utcnow()))
    if midnight - utcnow() < timedelta(minutes=3):
        time.sleep((midnight - utcnow()).total_seconds() + 1)
    app = demo_app(tmp_path_factory.mktemp("shopfloor-browser"))
    with serving(app) as url:
        yield Served(app, url)


def _page(browser: Browser, served: Served) -> Iterator[Page]:
    """Yield a page logged in as the demo factory (zh-CN, the default language)."""
    context = browser.new_context(
        base_url=served.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS * 2)
    page = open_page(context)
    page.goto("/login")
    log_in(page, "factory", DEMO_PASSWORD)
    expect(page.get_by_test_id("home-title")).to_be_visible()
    yield page
    context.close()


@pytest.fixture
def factory_page(browser: Browser, served: Served) -> Iterator[Page]:
    """Return a page logged in as the demo factory."""
    yield from _page(browser, served)


def choose(select: Locator, starts: str) -> None:
    """Select the option of ``select`` whose text starts with ``starts``."""
    texts = select.locator("option").all_inner_texts()
    matching = [text for text in texts if text.strip().startswith(starts)]
    assert len(matching) == 1, texts
    select.select_option(label=matching[0].strip())


def create_order(page: Page, t: Any, order_no: str) -> int:
    """Fill the new-order form (style YF-TEE, line YF-L1, QUANTITIES); return the order's id."""
    page.goto(ORDERS)
    page.get_by_test_id("new-order").click()
    choose(page.locator("#f-style-pick"), "YF-TEE ·")
    form = page.get_by_test_id("order-form")
    expect(form).to_be_visible()
    form.locator("#f-number").fill(order_no)
    form.locator("#f-customer").fill("Journey Retail")
    choose(form.locator("#f-line_id"), "YF-L1 ·")
    form.locator("#f-due_date").fill((utcnow().date() + timedelta(days=30)).isoformat())
    for (colour, size), qty in QUANTITIES.items():
        form.get_by_label(f"{colour} {size}", exact=True).fill(str(qty))
    form.get_by_test_id("save").click()
    expect(page.locator("h1")).to_contain_text(t("Production order %(number)s", number=order_no))
    found = re.search(r"/orders/(\d+)", page.url)
    assert found, page.url
    return int(found.group(1))


def plan_and_cut_first_lay(page: Page, t: Any) -> None:
    """Preview and apply the suggested plan, then cut lay 1 into bundles after confirming."""
    page.get_by_test_id("preview-plan").click()
    suggestion = page.get_by_test_id("suggestion")
    expect(suggestion.locator("tbody tr")).to_have_count(2)
    expect(suggestion.locator("tbody tr").nth(0)).to_contain_text("S×1 · M×2 · L×2 · XL×1")
    expect(suggestion.locator("tbody tr").nth(1)).to_contain_text("M×1 · L×1")
    page.get_by_test_id("apply-plan").click()
    expect(page.get_by_test_id("lays").locator("tbody tr")).to_have_count(2)
    lay = page.get_by_test_id("lay-1")
    expect(lay).to_contain_text("白")
    lay.locator("input[name=bundle_size]").fill(str(BUNDLE_SIZE))
    lay.get_by_test_id("cut-1").click()
    # the confirmation page says what cutting makes before anything happens
    expect(page.get_by_test_id("cut-preview").locator("tbody tr")).to_have_count(FIRST_LAY_BUNDLES)
    expect(page.get_by_test_id("cut-question")).to_contain_text(str(FIRST_LAY_BUNDLES))
    page.get_by_test_id("confirm-cut").click()
    expect(page.get_by_test_id("bundles").locator("tbody tr")).to_have_count(FIRST_LAY_BUNDLES)
    expect(page.get_by_test_id("lay-1")).to_contain_text(t("Lay cut"))


def open_tickets(page: Page, t: Any, order_no: str) -> None:
    """Open all tickets of the order: one coupon (with a QR) per routing step per bundle."""
    page.get_by_test_id("print-all").click()
    expect(page.locator("h1")).to_have_text(
        t("Bundle tickets of order %(number)s", number=order_no)
    )
    tickets = page.locator("[data-testid^=ticket-]")
    expect(tickets).to_have_count(FIRST_LAY_BUNDLES)
    expect(page.get_by_test_id("coupon")).to_have_count(FIRST_LAY_BUNDLES * ROUTING_STEPS)
    for i in range(FIRST_LAY_BUNDLES):
        ticket = tickets.nth(i)
        expect(ticket.get_by_test_id("coupon")).to_have_count(ROUTING_STEPS)
        expect(ticket.locator("[data-testid=coupon] svg")).to_have_count(ROUTING_STEPS)
        expect(ticket.locator(".ticket-head")).to_contain_text(str(BUNDLE_SIZE))
    codes = page.get_by_test_id("coupon").evaluate_all("els => els.map(e => e.dataset.qr)")
    assert len(set(codes)) == FIRST_LAY_BUNDLES * ROUTING_STEPS  # every coupon is its own


def card(page: Page, title: str) -> Decimal:
    """Return the value of the dashboard card titled ``title``."""
    box = page.locator(".card").filter(has=page.locator(".card-title", has_text=title))
    return number(box.locator(".card-value").inner_text())


def wip(page: Page) -> dict[str, int]:
    """Return the dashboard's WIP table: operation label → pieces waiting."""
    rows = page.get_by_test_id("wip-row")
    found: dict[str, int] = {}
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td")
        found[cells.nth(0).inner_text().strip()] = int(number(cells.nth(1).inner_text()))
    return found


def board_finished(page: Page, order_number: str) -> int:
    """Return the finished pieces the order board shows for ``order_number``."""
    page.goto(ORDERS)
    row = page.get_by_test_id(f"order-{order_number}")
    return int(number(row.locator("td").nth(7).inner_text()))


def pay_total(page: Page) -> Decimal:
    """Return this month's pay of all operators from the statement's total row."""
    page.goto("/apps/shopfloor/pay")
    return number(page.get_by_test_id("pay-total").locator("th").last.inner_text())


def line_id(served: Served, code: str) -> int:
    """Return the id of the factory's line ``code``."""
    with session_scope(served.app.state.loom.session_factory) as db:
        found = db.scalar(select(ProductionLine.id).where(ProductionLine.code == code))
        assert found is not None
        return found


@dataclass
class Added:
    """What the simulator's applied scans add, summed from the raw events (not the counters)."""

    done: int  # pieces done on the line today
    first_op: int  # pieces done at the routing's first operation on the line's orders
    finished: int  # garments finished on the line today
    order_finished: int  # garments finished of the seeded order, morning included
    pay: Decimal  # pay of every operator


def simulated(served: Served, since: datetime, line: int) -> Added:
    """Return what the scans received since ``since`` add (and the seeded order's total)."""
    start, end = day_window(local_today(utcnow()))
    done = (ScanEvent.kind == "done", ScanEvent.status == "applied")
    new = ScanEvent.received_at >= since
    on_line = (ScanEvent.line_id == line, ScanEvent.ts >= start, ScanEvent.ts < end)
    qty = select(func.coalesce(func.sum(ScanEvent.qty), 0)).where(*done)
    with session_scope(served.app.state.loom.session_factory) as db:
        order = db.scalar(select(ProductionOrder.id).where(ProductionOrder.number == SEEDED_ORDER))
        t10 = db.scalar(select(Operation.id).where(Operation.code == FIRST_OPERATION))
        orders = select(ProductionOrder.id).where(ProductionOrder.line_id == line)
        at_t10 = (ScanEvent.operation_id == t10, ScanEvent.order_id.in_(orders))
        pay_e4 = select(func.coalesce(func.sum(ScanEvent.qty * ScanEvent.rate_e4), 0))
        return Added(
            done=db.scalar(qty.where(new, *on_line)) or 0,
            first_op=db.scalar(qty.where(new, *at_t10)) or 0,
            finished=db.scalar(qty.where(new, ScanEvent.final, *on_line)) or 0,
            order_finished=db.scalar(qty.where(ScanEvent.final, ScanEvent.order_id == order)) or 0,
            pay=Decimal(db.scalar(pay_e4.where(*done, new)) or 0) / 10_000,
        )


def run_simulator(served: Served) -> str:
    """Run ``loom simulate shopfloor --via http`` against the served app; return its output."""
    script = Path(sys.executable).with_name("loom")
    # the console script of the venv; the same entry point through the interpreter otherwise
    loom = [str(script)] if script.is_file() else [sys.executable, "-c", ENTRY_POINT]
    command = [*loom, "simulate", "shopfloor", "--org", ORG, "--via", "http"]
    command += ["--url", served.url, "--rate", "3000", "--events", str(SIM_EVENTS)]
    command += ["--batch", "50"]
    ran = subprocess.run(
        command, env=served.env(), capture_output=True, text=True, timeout=60, check=False
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    return ran.stdout
