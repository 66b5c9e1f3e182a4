"""The figures pages' catalogue: complete in Chinese, placeholders kept, nothing stale."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from loom.kernel.web.i18n import Catalogues
from loom.kernel.web.templating import KERNEL_TRANSLATIONS
from loom.modules.shopfloor.app import HERE
from loom.testing.i18n import code_msgids, template_msgids
from tests.kernel.web.test_i18n import CJK, placeholders

TRANSLATIONS = HERE / "translations"
PATTERNS = ("dashboard_*.html", "pay_*.html", "quarantine_*.html")
# the part's Python files whose messages reach its pages and API answers
SOURCES = [
    HERE / "pages" / "dashboard.py",
    HERE / "pages" / "pay.py",
    HERE / "pages" / "quarantine.py",
    HERE / "pages" / "figures_common.py",
    HERE / "service" / "figures.py",
    HERE / "service" / "figures_line.py",
    HERE / "service" / "pay.py",
    HERE / "api" / "figures.py",
    HERE / "api" / "figures_pay.py",
    HERE / "api" / "quarantine.py",
]


def part_msgids() -> set[str]:
    """Return every text the figures pages pass through ``_()`` or raise."""
    found: set[str] = set()
    for pattern in PATTERNS:
        found |= template_msgids(HERE / "templates", pattern)
    return found | code_msgids(SOURCES)


def _po(locale: str) -> list[tuple[str, str]]:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "figures.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    assert dict(catalog.mime_headers)["Language"] == locale
    return [(str(m.id), str(m.string)) for m in catalog if m.id]


def test_extraction_finds_the_parts_texts() -> None:
    found = part_msgids()
    assert {"Line dashboard", "Piece-rate pay %(month)s", "Quarantined scans"} <= found
    assert "Unknown operator badge" in found  # a label spelled out in a template's dict
    assert "month: a month written YYYY-MM, got %(value)s" in found  # raised by the service
    assert "Pay (CNY)" in found  # an Excel header marked with msgid()


def test_every_msgid_has_a_chinese_translation() -> None:
    shared = Catalogues([KERNEL_TRANSLATIONS])
    chinese = {m: shared.gettext("zh_CN", m) for m in shared.known("zh_CN")}
    chinese |= {m: text for m, text in _po("zh_CN") if text}
    missing = sorted(m for m in part_msgids() if m not in chinese)
    assert missing == [], f"msgids without a zh_CN translation: {missing}"
    not_chinese = sorted(m for m in part_msgids() if not CJK.search(chinese[m]))
    assert not_chinese == [], f"zh_CN translations without Chinese text: {not_chinese}"


def test_the_nav_label_is_translated() -> None:
    merged = Catalogues([KERNEL_TRANSLATIONS, TRANSLATIONS])
    assert merged.gettext("zh_CN", "Line dashboard") == "产线看板"


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_translations_keep_the_placeholders(locale: str) -> None:
    for message_id, text in _po(locale):
        if text:
            assert placeholders(text) == placeholders(message_id), message_id


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_no_stale_entries(locale: str) -> None:
    used = part_msgids()  # once: it parses every source and template
    stale = sorted(m for m, _ in _po(locale) if m not in used)
    assert stale == [], f"figures.po entries no figures page uses: {stale}"


def test_english_is_the_msgids() -> None:
    assert {m for m, _ in _po("en")} == {m for m, _ in _po("zh_CN")}
    assert all(text == "" for _, text in _po("en"))
