"""The tokens page: a refused form comes back with the reason and what was typed."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from loom.kernel.db.session import session_scope
from loom.kernel.identity.models import ApiToken
from loom.kernel.tenancy.models import OrgKind, Role
from loom.kernel.web.i18n import LOCALE_COOKIE, Catalogues
from loom.kernel.web.templating import KERNEL_TRANSLATIONS
from loom.testing.factory import Factory

CHINESE = Catalogues([KERNEL_TRANSLATIONS])


def admin_client(factory: Factory) -> TestClient:
    org = factory.org("yongfeng", OrgKind.ENTERPRISE, name="Yongfeng Apparel")
    factory.user("alice", (org, Role.ADMIN))
    return factory.client("alice")


def token_count(factory: Factory) -> int:
    with session_scope(factory.runtime.session_factory) as s:
        return s.scalar(select(func.count()).select_from(ApiToken)) or 0


def error_of(html: str) -> str:
    found = re.search(r'data-testid="token-error">(.*?)</div>', html, re.S)
    assert found, "the page shows no form error"
    return found.group(1).strip()


def test_missing_permissions_re_render_the_form_with_the_reason(factory: Factory) -> None:
    client = admin_client(factory)
    page = client.post(
        "/settings/tokens",
        data={"name": "Line 3 gateway", "kind": "device", "days": "30"},
    )
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    expected = CHINESE.gettext("zh_CN", "permissions: list at least one")
    assert expected != "permissions: list at least one"
    assert error_of(page.text) == expected
    # What the user typed is still there.
    assert 'name="name" required maxlength="120" value="Line 3 gateway"' in page.text
    assert '<option value="device" selected>' in page.text
    assert 'name="days" type="number" min="1" max="730" value="30"' in page.text
    # The permissions fieldset is the one marked, and no token was issued.
    assert 'class="field checks has-error"' in page.text
    assert 'data-testid="token-issued"' not in page.text
    assert token_count(factory) == 0


def test_out_of_range_days_keep_the_chosen_permissions(factory: Factory) -> None:
    client = admin_client(factory)
    client.cookies.set(LOCALE_COOKIE, "en")
    page = client.post(
        "/settings/tokens",
        data={
            "name": "ERP sync",
            "kind": "integration",
            "days": "0",
            "permissions": ["kernel.home.view", "kernel.audit.read"],
        },
    )
    assert page.status_code == 422
    assert error_of(page.text) == "days: between 1 and 730"
    assert 'value="kernel.home.view" checked>' in page.text
    assert 'value="kernel.audit.read" checked>' in page.text
    assert 'value="kernel.member.read">' in page.text  # not chosen, not checked
    assert 'value="0" aria-invalid="true"' in page.text
    assert token_count(factory) == 0


def test_permission_beyond_the_form_is_refused_on_the_page(factory: Factory) -> None:
    client = admin_client(factory)
    page = client.post(
        "/settings/tokens",
        data={"name": "x", "kind": "integration", "days": "7", "permissions": ["no.such.thing"]},
    )
    assert page.status_code == 422
    assert "no.such.thing" in error_of(page.text)
    assert token_count(factory) == 0


def test_valid_form_issues_a_token_once(factory: Factory) -> None:
    client = admin_client(factory)
    page = client.post(
        "/settings/tokens",
        data={
            "name": "ERP sync",
            "kind": "integration",
            "days": "90",
            "permissions": ["kernel.home.view"],
        },
    )
    assert page.status_code == 201
    assert 'data-testid="token-issued"' in page.text
    assert 'data-testid="token-error"' not in page.text
    assert "ERP sync" in page.text
    assert token_count(factory) == 1
    listing = client.get("/settings/tokens")
    assert listing.status_code == 200
    assert 'data-testid="token-issued"' not in listing.text  # shown once only
