"""Browser journeys through a real server: log in, read the home page in two languages, switch.

Runs headless Debian chromium through Playwright against uvicorn on a free local port, with the
demo district seeded. Screenshots land in test-results/ (git-ignored) for a human to look at.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, expect, sync_playwright

from loom.app import create_app
from loom.demo import DEMO_PASSWORD, LOGINS, ORGANISATIONS, DemoLogin, seed_demo
from loom.kernel.db.session import session_scope
from loom.kernel.plugins.loader import discover
from loom.kernel.tenancy.models import OrgKind
from loom.kernel.web.i18n import Catalogues
from loom.kernel.web.templating import KERNEL_TRANSLATIONS
from loom.settings import Settings
from loom.testing.browser import open_page
from loom.testing.databases import migrated_sqlite_template

pytestmark = pytest.mark.browser

BROWSER = os.environ.get("LOOM_TEST_BROWSER", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
#: the pictures docs/tour.md shows, refreshed by every run
DOC_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
HOME_TITLES = {
    OrgKind.BUREAU: "District programme office",
    OrgKind.ENTERPRISE: "Enterprise workspace",
    OrgKind.CONTRACTOR: "Service provider workspace",
    OrgKind.ASSESSOR: "Assessor workspace",
}
ORG_KIND = {slug: kind for slug, _name, kind in ORGANISATIONS}
ORG_NAME = {slug: name for slug, name, _kind in ORGANISATIONS}
CATALOGUES = Catalogues([KERNEL_TRANSLATIONS])
#: a wait, not a timing check: CI shares this machine, and a page once took over 10 s to load
#: at load average 8 (the factory's home page, in the run of 2026-11-27 12:10 UTC)
TIMEOUT_MS = 20_000


def zh(msgid: str) -> str:
    """Return the Chinese text of ``msgid``; a missing translation fails the test loudly."""
    text = CATALOGUES.gettext("zh_CN", msgid)
    assert text != msgid, f"no zh_CN translation for {msgid!r}"
    return text


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_healthy(port: int, thread: threading.Thread, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not thread.is_alive():
            raise RuntimeError("the test server stopped before answering")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        try:
            connection.request("GET", "/api/v1/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.05)
        finally:
            connection.close()
    raise RuntimeError(f"the test server did not answer on port {port} within {seconds}s")


def demo_app(tmp: Path) -> FastAPI:
    """Return a Loom app on a migrated, demo-seeded SQLite file under ``tmp``."""
    apps = discover()
    database = migrated_sqlite_template(tmp, apps)
    settings = Settings(
        env="test",
        database_url=f"sqlite:///{database}",
        secret_key=secrets.token_urlsafe(36),  # 48 characters
        data_dir=tmp / "data",
    )
    app = create_app(settings, apps)
    with session_scope(app.state.loom.session_factory) as session:
        seed_demo(session, secret_key=settings.secret_key)
    return app


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` with uvicorn in a thread on a free port; yield its base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, name="loom-test-server", daemon=True)
    thread.start()
    try:
        wait_until_healthy(port, thread)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.loom.engine.dispose()


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve a migrated, demo-seeded Loom with uvicorn in a thread; yield its base URL."""
    with serving(demo_app(tmp_path_factory.mktemp("browser"))) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Launch headless Debian chromium once for the module."""
    if not Path(BROWSER).is_file():
        pytest.skip(f"no chromium at {BROWSER}: set LOOM_TEST_BROWSER to a chromium binary")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=BROWSER, headless=True, args=LAUNCH_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, server_url: str) -> Iterator[Page]:
    """Open a fresh browser context (no cookies) on the test server."""
    context = browser.new_context(
        base_url=server_url, locale="zh-CN", viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(TIMEOUT_MS)
    opened = open_page(context)
    yield opened
    context.close()


def log_in(page: Page, username: str, password: str) -> None:
    page.locator("#username").fill(username)
    page.locator("#password").fill(password)
    page.locator("form[action='/login'] button[type=submit]").click()


def screenshot(page: Page, name: str, *, docs: bool = False) -> None:
    """Save a full-page picture; ``docs`` also puts it in docs/screenshots for the tour."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    if docs:
        page.screenshot(path=str(DOC_SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("login", LOGINS, ids=[login.username for login in LOGINS])
def test_demo_login_sees_its_home_page_in_both_languages(page: Page, login: DemoLogin) -> None:
    first_org, role = login.memberships[0]
    title = HOME_TITLES[ORG_KIND[first_org]]

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next=%2F$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    log_in(page, login.username, DEMO_PASSWORD)

    expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/$"))
    expect(page.get_by_test_id("home-title")).to_have_text(zh(title))
    expect(page.get_by_test_id("org-name")).to_have_text(ORG_NAME[first_org])
    expect(page.locator(".who")).to_contain_text(login.display_name)
    expect(page.locator(".who .badge")).to_have_text(zh(role.value))
    expect(page.locator(".sidenav")).to_contain_text(zh("Home"))
    if role.value in ("admin", "manager"):
        # The vendored ECharts (no CDN) drew the activity chart: it renders into a canvas.
        expect(page.locator("#activity-chart canvas")).to_have_count(1)
    screenshot(page, f"home-{login.username}-zh")

    page.get_by_test_id("lang-en").click()
    expect(page.get_by_test_id("home-title")).to_have_text(title)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".who .badge")).to_have_text(role.value)
    expect(page.get_by_test_id("lang-en")).to_have_count(0)  # the current language is no link
    if login.username == "factory":
        screenshot(page, f"home-{login.username}-en")

    page.get_by_test_id("lang-zh_CN").click()
    expect(page.get_by_test_id("home-title")).to_have_text(zh(title))
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")

    page.get_by_role("button", name=zh("Log out")).click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next="))


def test_contractor_switches_to_a_factory_it_serves(page: Page) -> None:
    page.goto("/login")
    log_in(page, "contractor", DEMO_PASSWORD)
    expect(page.get_by_test_id("home-title")).to_have_text(zh("Service provider workspace"))
    switcher = page.get_by_test_id("org-switch")
    expect(switcher.locator("option")).to_have_count(3)

    factory_name = ORG_NAME["yongfeng-apparel"]
    switcher.select_option(label=f"{factory_name} · {zh('enterprise')}")

    expect(page.get_by_test_id("home-title")).to_have_text(zh("Enterprise workspace"))
    expect(page.get_by_test_id("org-name")).to_have_text(factory_name)
    expect(page.locator(".who .badge")).to_have_text(zh("viewer"))
    expect(switcher.locator("option:checked")).to_have_text(f"{factory_name} · {zh('enterprise')}")
    # A viewer at the factory does not get the factory's settings pages.
    expect(page.locator(".sidenav")).not_to_contain_text(zh("API tokens"))
    screenshot(page, "org-switch-contractor-to-enterprise", docs=True)


def test_wrong_password_shows_the_error_and_stays_on_login(page: Page) -> None:
    page.goto("/login")
    log_in(page, "factory", "not-the-demo-password")

    expect(page.get_by_test_id("login-error")).to_have_text(zh("Wrong username or password."))
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.locator("#username")).to_have_value("factory")
    expect(page.locator("#password")).to_have_value("")
    expect(page.get_by_test_id("home-title")).to_have_count(0)
    screenshot(page, "login-wrong-password")
