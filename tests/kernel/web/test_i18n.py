"""Kernel translation catalogues: complete in Chinese, faithful placeholders, used by pages."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import loom.kernel
from loom.kernel.authz.guard import CSRF_COOKIE
from loom.kernel.authz.permissions import KERNEL_PERMISSIONS
from loom.kernel.tenancy.models import OrgKind, Role
from loom.kernel.web.i18n import LOCALE_COOKIE, Catalogues
from loom.kernel.web.templating import KERNEL_NAV, KERNEL_TEMPLATES, KERNEL_TRANSLATIONS
from loom.testing.factory import Factory
from loom.testing.i18n import placeholders

KERNEL_SRC = Path(loom.kernel.__file__).parent
ERROR_CLASSES = {"NotAuthenticated", "PermissionDenied", "NotFound", "Conflict", "ValidationFailed"}
TOKEN_KINDS = ("integration", "device")  # the two kinds identity.service.create_token accepts
LOGIN_ERROR = "Wrong username or password."  # what identity.pages.login passes to login.html
# Names that stay as they are in Chinese: the translation may repeat the msgid.
KEPT_AS_IS = {"Loom"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def extract_template_msgids() -> set[str]:
    """Return every literal msgid of ``_()``/``gettext()`` calls in the kernel templates."""
    found: set[str] = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(KERNEL_TEMPLATES),
        method_map=[("**.html", "jinja2.ext:babel_extract")],
        options_map={
            "**.html": {"trim_blocks": "true", "lstrip_blocks": "true", "silent": "false"}
        },
    ):
        found.update([message] if isinstance(message, str) else [m for m in message if m])
    return found


def _raised_literals(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        first = node.args[0]
        if (
            name in ERROR_CLASSES
            and isinstance(first, ast.Constant)
            and isinstance(first.value, str)
        ):
            yield first.value


def kernel_error_messages() -> set[str]:
    """Return the literal messages of DomainErrors raised anywhere in the kernel."""
    messages: set[str] = set()
    for path in KERNEL_SRC.rglob("*.py"):
        messages.update(_raised_literals(ast.parse(path.read_text(encoding="utf-8"))))
    return messages


def kernel_msgids() -> set[str]:
    """Return everything the kernel UI passes through ``_()``, from templates and from code."""
    return (
        extract_template_msgids()
        | {item.label for item in KERNEL_NAV}
        | {role.value for role in Role}
        | {kind.value for kind in OrgKind}
        | set(TOKEN_KINDS)
        | {perm.description for perm in KERNEL_PERMISSIONS}
        | kernel_error_messages()
        | {LOGIN_ERROR}
    )


@pytest.fixture(scope="module")
def catalogues() -> Catalogues:
    return Catalogues([KERNEL_TRANSLATIONS])


def test_extraction_sees_the_kernel_templates() -> None:
    # Guards the completeness test below against an extractor that silently finds nothing.
    msgids = extract_template_msgids()
    assert {"Enterprise workspace", "Log in to Loom", "%(start)s–%(end)s of %(total)s"} <= msgids
    assert {"admin", "bureau", "integration"} <= msgids  # the label macros spell them out
    assert len(msgids) > 80


def test_kernel_error_messages_are_found() -> None:
    messages = kernel_error_messages()
    assert "please log in" in messages
    assert "the form's security token is missing or stale; reload the page" in messages
    assert "permissions: list at least one" in messages


def test_every_kernel_msgid_has_a_chinese_translation(catalogues: Catalogues) -> None:
    known = catalogues.known("zh_CN")
    missing = sorted(m for m in kernel_msgids() if m not in known)
    assert missing == [], f"msgids without a zh_CN translation: {missing}"
    not_chinese = sorted(
        m
        for m in kernel_msgids()
        if m not in KEPT_AS_IS and not CJK.search(catalogues.gettext("zh_CN", m))
    )
    assert not_chinese == [], f"zh_CN translations without Chinese text: {not_chinese}"


def test_login_error_msgid_matches_the_login_route() -> None:
    source = (KERNEL_SRC / "identity" / "pages.py").read_text(encoding="utf-8")
    assert f'"{LOGIN_ERROR}"' in source


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_translations_keep_the_placeholders(locale: str) -> None:
    po = KERNEL_TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    assert dict(catalog.mime_headers)["Language"] == locale
    checked = 0
    for message in catalog:
        if not message.id or not message.string:
            continue
        assert isinstance(message.id, str)
        assert isinstance(message.string, str)
        assert placeholders(message.string) == placeholders(message.id), message.id
        checked += bool(placeholders(message.id))
    if locale == "zh_CN":
        assert checked >= 1  # the pagination summary carries %(start)s, %(end)s, %(total)s


def test_english_falls_back_to_the_msgids(catalogues: Catalogues) -> None:
    # The English catalogue leaves every msgstr empty: the English msgid is the text.
    assert catalogues.known("en") == set()
    assert catalogues.gettext("en", "Enterprise workspace") == "Enterprise workspace"


def test_pagination_summary_formats_in_chinese(catalogues: Catalogues) -> None:
    text = catalogues.gettext("zh_CN", "%(start)s–%(end)s of %(total)s")
    assert text % {"start": 51, "end": 100, "total": 230} == "第 51–100 条，共 230 条"


# --- pages -----------------------------------------------------------------------------------


def zh(msgid: str) -> str:
    translated = Catalogues([KERNEL_TRANSLATIONS]).gettext("zh_CN", msgid)
    assert translated != msgid
    return translated


def test_home_page_is_chinese_by_default_and_english_on_request(factory: Factory) -> None:
    org = factory.org("yongfeng", OrgKind.ENTERPRISE, name="Yongfeng Apparel")
    factory.user("alice", (org, Role.ADMIN))
    client = factory.client("alice")

    page = client.get("/")
    assert page.status_code == 200
    assert '<html lang="zh-CN">' in page.text
    assert zh("Enterprise workspace") in page.text
    assert "Enterprise workspace" not in page.text
    assert zh("Audit trail") in page.text  # the navigation
    assert f"Yongfeng Apparel · {zh('enterprise')}" in page.text  # the organisation switcher
    assert zh("admin") in page.text  # the role next to the user's name

    switched = client.get("/lang/en", params={"next": "/"}, follow_redirects=False)
    assert switched.status_code == 303
    assert switched.headers["location"] == "/"
    assert client.cookies.get(LOCALE_COOKIE) == "en"
    page = client.get("/")
    assert '<html lang="en">' in page.text
    assert "Enterprise workspace" in page.text
    assert zh("Enterprise workspace") not in page.text
    assert "Yongfeng Apparel · enterprise" in page.text


def test_unknown_language_code_is_ignored(factory: Factory) -> None:
    org = factory.org("siming", OrgKind.ENTERPRISE)
    factory.user("bob", (org, Role.MEMBER))
    client = factory.client("bob")

    refused = client.get("/lang/fr", follow_redirects=False)
    assert refused.status_code == 303
    assert LOCALE_COOKIE not in refused.headers.get("set-cookie", "")
    assert LOCALE_COOKIE not in client.cookies
    assert zh("Enterprise workspace") in client.get("/").text

    client.get("/lang/en")
    client.get("/lang/xx")
    assert client.cookies.get(LOCALE_COOKIE) == "en"
    assert "Enterprise workspace" in client.get("/").text

    # A forged cookie value is ignored as well: the default language applies.
    client.cookies.delete(LOCALE_COOKIE)
    client.cookies.set(LOCALE_COOKIE, "de")
    assert zh("Enterprise workspace") in client.get("/").text


def test_language_switch_only_redirects_locally(factory: Factory) -> None:
    client = factory.client()
    away = client.get("/lang/en", params={"next": "https://example.org/"}, follow_redirects=False)
    assert away.headers["location"] == "/"
    back = client.get("/lang/en", params={"next": "/settings/tokens"}, follow_redirects=False)
    assert back.headers["location"] == "/settings/tokens"


def test_login_error_and_kernel_errors_are_translated(factory: Factory) -> None:
    org = factory.org("kepu", OrgKind.ASSESSOR)
    factory.user("carol", (org, Role.MANAGER))
    client = factory.client()

    csrf = client.cookies[CSRF_COOKIE]
    wrong = client.post(
        "/login", data={"username": "carol", "password": "not the password", "csrf_token": csrf}
    )
    assert wrong.status_code == 400
    assert zh(LOGIN_ERROR) in wrong.text

    # A form posted without its CSRF token: the kernel's PermissionDenied message, in Chinese.
    refused = client.post("/logout", data={})
    assert refused.status_code == 403
    assert zh("the form's security token is missing or stale; reload the page") in refused.text
    assert zh("Not allowed") in refused.text

    missing = factory.client("carol").get("/no/such/page")
    assert missing.status_code == 404
    assert zh("There is no page at this address.") in missing.text
