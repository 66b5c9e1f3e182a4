"""Jinja2 environment and the ``render`` helper every page uses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from babel.core import Locale
from babel.dates import format_datetime
from babel.numbers import NumberPattern, format_decimal, parse_pattern
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, select_autoescape

from loom import __version__
from loom.kernel.authz.guard import CSRF_COOKIE
from loom.kernel.plugins.enablement import enabled_apps
from loom.kernel.plugins.spec import AppSpec, NavItem
from loom.kernel.runtime import runtime_of
from loom.kernel.web.charts import bar_chart
from loom.kernel.web.i18n import LOCALE_NAMES, LOCALES, Catalogues, request_locale

KERNEL_TEMPLATES = Path(__file__).parent / "templates"
KERNEL_TRANSLATIONS = Path(__file__).parent / "translations"

KERNEL_NAV = (
    NavItem("Home", "/", "kernel.home.view", "home"),
    NavItem("Apps", "/settings/apps", "kernel.apps.read", "apps"),
    NavItem("Members", "/settings/members", "kernel.member.read", "users"),
    NavItem("API tokens", "/settings/tokens", "kernel.token.read", "key"),
    NavItem("Audit trail", "/audit", "kernel.audit.read", "audit"),
)


@dataclass
class WebShell:
    """Templates and catalogues of the kernel plus every loaded app."""

    env: Environment
    catalogues: Catalogues


def build_shell(apps: dict[str, AppSpec]) -> WebShell:
    """Build the Jinja2 environment: kernel templates plus ``<slug>/…`` for each app."""
    prefixed = {
        slug: FileSystemLoader(spec.templates_dir)
        for slug, spec in apps.items()
        if spec.templates_dir is not None
    }
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(KERNEL_TEMPLATES), PrefixLoader(prefixed)]),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        # templates ship with the code and change only with a restart: no stat() of every
        # template a page extends or imports on every render
        auto_reload=False,
    )
    catalogues = Catalogues(
        [KERNEL_TRANSLATIONS]
        + [spec.translations_dir for spec in apps.values() if spec.translations_dir is not None]
    )
    return WebShell(env=env, catalogues=catalogues)


def shell_of(request: Request) -> WebShell:
    """Return the web shell of the application serving ``request``."""
    shell: WebShell = request.app.state.shell
    return shell


@cache
def _babel_locale(code: str) -> Locale:
    return Locale.parse(code)


@cache
def _number_pattern(digits: int) -> NumberPattern:
    # Babel parses the locale and the pattern on every call otherwise: a dashboard formats
    # ~50 numbers, and that parsing was two fifths of its template time under the profiler
    return parse_pattern("#,##0" + ("." + "0" * digits if digits else ""))


@cache
def _groups_like_python(code: str) -> bool:
    # Python's "," format gives Babel's output for integers where the locale groups by three
    # with "," and writes "-" (zh_CN and en); a locale that does not falls back to Babel
    sample = -1234567
    babel = format_decimal(sample, format=_number_pattern(0), locale=_babel_locale(code))
    return babel == f"{sample:,}"


def page_context(request: Request) -> dict[str, Any]:
    """Return what every template may use: translation, locale, user, nav and CSRF token."""
    runtime = runtime_of(request)
    shell = shell_of(request)
    locale = request_locale(request, runtime.settings.locale)

    # the locale's messages looked up once: a page translates 50-100 texts
    lookup = shell.catalogues.messages(locale).get

    def gettext(message: str, **params: Any) -> str:
        text = lookup(message, message)
        return text % params if params else text

    def ngettext(singular: str, plural: str, n: int, **params: Any) -> str:
        text = gettext(singular if n == 1 else plural)
        return text % {"num": n, **params}

    babel_locale = _babel_locale(locale)

    def fmt_dt(value: datetime | None) -> str:
        if value is None:
            return "—"
        return format_datetime(value, "yyyy-MM-dd HH:mm", locale=babel_locale, tzinfo=None)

    plain_ints = _groups_like_python(locale)

    def fmt_num(value: float | int | None, digits: int = 0) -> str:
        if value is None:
            return "—"
        if plain_ints and type(value) is int and not digits:
            return f"{value:,}"  # a dashboard formats ~50 counts: 25x cheaper than Babel
        return format_decimal(value, format=_number_pattern(digits), locale=babel_locale)

    return {
        "request": request,
        "_": gettext,
        "gettext": gettext,
        "ngettext": ngettext,
        "fmt_dt": fmt_dt,
        "fmt_num": fmt_num,
        "locale": locale,
        "html_lang": "zh-CN" if locale == "zh_CN" else "en",
        "locales": [(code, LOCALE_NAMES[code]) for code in LOCALES],
        "csrf_token": getattr(request.state, "csrf_token", "")
        or request.cookies.get(CSRF_COOKIE, ""),
        "viewer": getattr(request.state, "viewer", None),
        "bar_chart": bar_chart,
        "scope": getattr(request.state, "scope", None),
        "nav": getattr(request.state, "nav", []),
        "version": __version__,
    }


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    """Render ``template`` with the shared page context."""
    env = shell_of(request).env
    full = page_context(request)
    full["nav"] = nav_for(request)
    full.update(context or {})
    html = env.get_template(template).render(full)
    return HTMLResponse(html, status_code=status)


def nav_for(request: Request) -> list[NavItem]:
    """Return the navigation for the caller: kernel items and enabled apps, by permission."""
    scope = getattr(request.state, "scope", None)
    principal = getattr(request.state, "principal", None)
    db = getattr(request.state, "db", None)
    if scope is None or principal is None or db is None:
        return []
    runtime = runtime_of(request)
    items = [item for item in KERNEL_NAV if scope.can(item.permission)]
    for spec in enabled_apps(db, principal.org, runtime.apps):
        items.extend(item for item in spec.nav if scope.can(item.permission))
    return items
