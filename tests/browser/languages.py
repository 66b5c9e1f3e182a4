"""The two languages of the role journeys: page text from the catalogues, switching, pictures.

Every journey runs once per language. The expected text of a heading or button comes from the
same catalogues the server renders with, so a page whose text is missing from the Chinese
catalogue fails in zh_CN, and an English page that still shows Chinese fails in en.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from playwright.sync_api import Page, expect

from loom.app import create_app
from loom.kernel.plugins.loader import discover
from loom.kernel.web.i18n import LOCALES
from loom.kernel.web.templating import build_shell

#: zh_CN first: it is the default language, the en run switches in the header's way
LANGS = LOCALES
#: docs/screenshots/<role>-<step>-<lang>.png names the languages short
SHORT = {"zh_CN": "zh", "en": "en"}
HTML_LANG = {"zh_CN": "zh-CN", "en": "en"}
DOC_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
#: the kernel's and every discovered module's catalogues, as the server loads them
CATALOGUES = build_shell({spec.slug: spec for spec in discover()}).catalogues


def text(lang: str, msgid: str, **params: Any) -> str:
    """Return ``msgid`` as a page in ``lang`` shows it; a missing zh_CN entry fails loudly."""
    shown = CATALOGUES.gettext(lang, msgid)
    if lang == "zh_CN":
        assert shown != msgid, f"no zh_CN translation for {msgid!r}"
    return shown % params if params else shown


def use_language(page: Page, lang: str) -> None:
    """Choose ``lang`` through the language route (the header's links) and check the page."""
    page.goto(f"/lang/{lang}?next=/")
    expect(page.locator("html")).to_have_attribute("lang", HTML_LANG[lang])


#: draws every ECharts chart of the page in its final state: a picture never catches bars growing
SETTLE_CHARTS = """() => document.querySelectorAll("[_echarts_instance_]").forEach(
    el => window.echarts.getInstanceByDom(el).setOption({animation: false}))"""


def role_shot(page: Page, role: str, step: str, lang: str, *, full_page: bool = True) -> None:
    """Save docs/screenshots/<role>-<step>-<lang>.png, the picture docs/tour.md shows."""
    DOC_SHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate(SETTLE_CHARTS)
    name = f"{role}-{step}-{SHORT[lang]}.png"
    page.screenshot(path=str(DOC_SHOTS / name), full_page=full_page)


def copied_app(seeded: FastAPI, directory: Path) -> FastAPI:
    """Return a second app on a copy of ``seeded``'s SQLite file: one seed serves each language."""
    settings = seeded.state.loom.settings
    seeded.state.loom.engine.dispose()  # closes the file, so the copy is whole
    source = Path(settings.database_url.removeprefix("sqlite:///"))
    target = directory / source.name
    shutil.copyfile(source, target)
    copy = settings.model_copy(
        update={"database_url": f"sqlite:///{target}", "data_dir": directory / "data"}
    )
    return create_app(copy, discover())
