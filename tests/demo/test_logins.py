"""Each printed demo login works and lands on pages showing its own organisation's data."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from loom.app import create_app
from loom.demo import DEMO_PASSWORD, DISTRICT_LOGINS
from loom.settings import Settings
from loom.testing.factory import login
from tests.demo.conftest import Seeded

# one xdist worker seeds the district once for every test of the package
pytestmark = pytest.mark.xdist_group("demo")

#: username → (a page of its role, text that page must show, text it must not show)
PAGES = {
    # the bureau's registry lists the district's enterprises
    "bureau": ("/apps/programme/registry?q=立华", "宁波立华服装有限公司", None),
    # the owner and the planner see their factory's orders and schedule, not the other's
    "factory": ("/apps/shopfloor/orders", "YF-PO01-L1", "SM-PO01-L1"),
    "planner": ("/apps/scheduling/plans/orders", "YF-", "SM-"),
    # an operator (member) reads the line dashboard of the factory's lines
    "operator": ("/apps/shopfloor/lines", "YF-L1", "SM-L1"),
    # the contractor follows the projects it builds
    "contractor": ("/apps/programme/projects", "数字化改造", None),
    # the assessor lists the on-site assessments it wrote
    "assessor": ("/apps/assessment/", "现场评", None),
    "factory2": ("/apps/shopfloor/orders", "SM-PO01-L1", "YF-PO01-L1"),
}


@pytest.fixture(scope="module")
def app(district: Seeded, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    """Serve the seeded district in-process."""
    settings = Settings(
        env="test",
        database_url=district.url,
        secret_key=district.secret_key,
        data_dir=tmp_path_factory.mktemp("demo-app"),
    )
    application = create_app(settings)
    yield application
    application.state.loom.engine.dispose()


def test_every_role_has_a_page_in_the_check_list() -> None:
    assert {login.username for login in DISTRICT_LOGINS} == set(PAGES)


@pytest.mark.parametrize("username", sorted(PAGES))
def test_a_demo_login_lands_on_its_own_data(app: FastAPI, username: str) -> None:
    path, shown, hidden = PAGES[username]
    with TestClient(app) as client:
        client.get("/login")
        login(client, username, DEMO_PASSWORD)
        home = client.get("/")
        assert home.status_code == 200
        page = client.get(path)
        assert page.status_code == 200, page.text[:500]
        assert shown in page.text
        if hidden is not None:
            assert hidden not in page.text


def test_a_wrong_password_is_refused(app: FastAPI) -> None:
    with TestClient(app) as client:
        client.get("/login")
        with pytest.raises(AssertionError, match="login as bureau failed"):
            login(client, "bureau", DEMO_PASSWORD + "x")
