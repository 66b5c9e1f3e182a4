"""The pages' own catalogue: complete in Chinese, placeholders kept, nothing stale or clashing."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from loom.kernel.plugins.loader import discover
from loom.kernel.web.i18n import Catalogues
from loom.kernel.web.templating import KERNEL_TRANSLATIONS
from loom.modules.masterdata.app import HERE, spec
from loom.testing.i18n import MSGID_CALLS, code_msgids, template_msgids
from tests.kernel.web.test_i18n import CJK, placeholders

TRANSLATIONS = HERE / "translations"
SOURCES = [
    HERE / "pages",
    HERE / "excel",
    HERE / "service" / "sheets.py",
    HERE / "service" / "sheet_checks.py",
]
# the excel package raises its cell problems with the msgid as first argument
CALLS = MSGID_CALLS | {"CellProblem", "SheetRejected"}


def page_msgids() -> set[str]:
    """Return every text the pages, the workbook and the import pass through ``_()``."""
    nav = {item.label for item in spec.nav}
    return template_msgids(HERE / "templates") | code_msgids(SOURCES, CALLS) | nav


def _po(locale: str) -> list[tuple[str, str]]:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "pages.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    assert dict(catalog.mime_headers)["Language"] == locale
    return [(str(m.id), str(m.string)) for m in catalog if m.id]


def test_extraction_finds_the_pages_texts() -> None:
    found = page_msgids()
    assert {"Colour × size matrix", "Styles", "Operation library"} <= found
    assert {"a number is expected here", "no row for size %(size)s of this material"} <= found
    assert "The file is not an Excel workbook (.xlsx)." in found


def test_every_msgid_has_a_chinese_translation() -> None:
    # the kernel's and this module's catalogues: the pages rely on nothing of other modules
    shared = Catalogues([KERNEL_TRANSLATIONS, TRANSLATIONS])
    missing = sorted(m for m in page_msgids() if m not in shared.known("zh_CN"))
    assert missing == [], f"msgids without a zh_CN translation: {missing}"
    not_chinese = sorted(m for m in page_msgids() if not CJK.search(shared.gettext("zh_CN", m)))
    assert not_chinese == [], f"zh_CN translations without Chinese text: {not_chinese}"


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_translations_keep_the_placeholders(locale: str) -> None:
    for message_id, text in _po(locale):
        if text:
            assert placeholders(text) == placeholders(message_id), message_id


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_no_stale_entries(locale: str) -> None:
    used = page_msgids()  # once: it parses every source and template
    stale = sorted(m for m, _ in _po(locale) if m not in used)
    assert stale == [], f"pages.po entries no page uses: {stale}"


def test_english_is_the_msgids() -> None:
    assert {m for m, _ in _po("en")} == {m for m, _ in _po("zh_CN")}
    assert all(text == "" for _, text in _po("en"))


def test_the_running_app_shows_these_words() -> None:
    # every catalogue is merged: another one translating a msgid differently would change ours
    merged = Catalogues(
        [KERNEL_TRANSLATIONS]
        + [s.translations_dir for s in discover() if s.translations_dir is not None]
    )
    overridden = sorted(m for m, text in _po("zh_CN") if merged.gettext("zh_CN", m) != text)
    assert overridden == [], f"other catalogues translate these msgids differently: {overridden}"
