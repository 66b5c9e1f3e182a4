"""The dashboard's own translations: complete in Chinese, placeholders kept, nothing stale."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import loom.modules.programme
from loom.kernel.web.i18n import Catalogues
from loom.kernel.web.templating import KERNEL_TRANSLATIONS
from loom.modules.programme.pages.common import SECTOR_LABELS
from loom.testing.i18n import code_msgids
from loom.testing.i18n import template_msgids as shared_template_msgids
from tests.kernel.web.test_i18n import CJK, placeholders

MODULE = Path(loom.modules.programme.__file__).parent
TRANSLATIONS = MODULE / "translations"
# the part's Python files whose messages reach the pages
SOURCES = [MODULE / "pages" / "targets.py", MODULE / "service" / "targets.py"]


def template_msgids() -> set[str]:
    """Return every literal msgid of ``_()``/``ngettext()`` in the dashboard's templates."""
    return shared_template_msgids(MODULE / "templates", "targets_*.html")


def part_msgids() -> set[str]:
    """Return every text the dashboard's pages pass through ``_()``."""
    # the sector labels are translated where the pages show a target's or a row's sector
    return template_msgids() | code_msgids(SOURCES) | set(SECTOR_LABELS.values())


def _po(locale: str) -> list[tuple[str, str]]:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "targets.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    assert dict(catalog.mime_headers)["Language"] == locale
    return [(str(m.id), str(m.string)) for m in catalog if m.id]


def test_extraction_finds_the_parts_texts() -> None:
    assert {"Programme targets", "Target met", "%(num)s days left"} <= template_msgids()
    assert {"on: a date written YYYY-MM-DD, got %(value)s", "Pilots accepted"} <= code_msgids(
        SOURCES
    )


def test_every_msgid_has_a_chinese_translation() -> None:
    # this part's own catalogue over the kernel's; the other parts' are not relied on
    shared = Catalogues([KERNEL_TRANSLATIONS])
    chinese = {m: shared.gettext("zh_CN", m) for m in shared.known("zh_CN")}
    chinese |= {m: text for m, text in _po("zh_CN") if text}
    missing = sorted(m for m in part_msgids() if m not in chinese)
    assert missing == [], f"msgids without a zh_CN translation: {missing}"
    not_chinese = sorted(m for m in part_msgids() if not CJK.search(chinese[m]))
    assert not_chinese == [], f"zh_CN translations without Chinese text: {not_chinese}"


def test_shared_msgids_agree_with_the_other_catalogues() -> None:
    # catalogues are merged by msgid: a text another part also uses must read the same
    theirs: dict[str, str] = {}
    for po in sorted(TRANSLATIONS.glob("zh_CN/LC_MESSAGES/*.po")):
        if po.name != "targets.po":
            with po.open("rb") as handle:
                theirs |= {str(m.id): str(m.string) for m in read_po(handle) if m.id and m.string}
    clashes = sorted(
        (m, text, theirs[m]) for m, text in _po("zh_CN") if theirs.get(m, text) != text
    )
    assert clashes == []


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_translations_keep_the_placeholders(locale: str) -> None:
    for message_id, text in _po(locale):
        if text:
            assert placeholders(text) == placeholders(message_id), message_id


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_no_stale_entries(locale: str) -> None:
    stale = sorted(m for m, _ in _po(locale) if m not in part_msgids())
    assert stale == [], f"targets.po entries no dashboard page uses: {stale}"


def test_english_is_the_msgids() -> None:
    # English texts are the msgids themselves: the en catalogue lists them untranslated
    assert {m for m, _ in _po("en")} == {m for m, _ in _po("zh_CN")}
    assert all(text == "" for _, text in _po("en"))
