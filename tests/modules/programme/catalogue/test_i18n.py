"""The catalogue's own translations: complete in Chinese, placeholders kept, nothing stale."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import loom.modules.programme
from loom.kernel.plugins.loader import discover
from loom.kernel.web.i18n import Catalogues
from loom.kernel.web.templating import KERNEL_TRANSLATIONS
from loom.modules.assessment.app import HERE as ASSESSMENT
from loom.modules.assessment.planner.merge import MERGED_NAME
from loom.testing.i18n import code_msgids as shared_code_msgids
from loom.testing.i18n import template_msgids as shared_template_msgids
from tests.kernel.web.test_i18n import CJK, placeholders

MODULE = Path(loom.modules.programme.__file__).parent
TRANSLATIONS = MODULE / "translations"
# the part's Python files whose messages reach the pages
SOURCES = ("pages/catalogue.py", "service/catalogue.py", "service/planning.py")
# calls whose first argument is an English msgid
MARKERS = {"msgid", "gettext", "NotFound", "Conflict", "ValidationFailed", "PermissionDenied"}
MARKERS |= {"FieldProblem"}


def template_msgids() -> set[str]:
    """Return every literal msgid of ``_()``/``ngettext()`` in the catalogue templates."""
    return shared_template_msgids(MODULE / "templates", "catalogue_*.html")


def code_msgids() -> set[str]:
    """Return msgid() markers, raised messages and field problems of the part's code."""
    return shared_code_msgids([MODULE / name for name in SOURCES], MARKERS)


def part_msgids() -> set[str]:
    """Return every text the catalogue's pages pass through ``_()``."""
    return template_msgids() | code_msgids() | {MERGED_NAME}


def _po(locale: str) -> list[tuple[str, str]]:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "catalogue.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    assert dict(catalog.mime_headers)["Language"] == locale
    return [(str(m.id), str(m.string)) for m in catalog if m.id]


def test_extraction_finds_the_parts_texts() -> None:
    assert {"小快轻准 products", "Publish a product", "Plan to level 2"} <= template_msgids()
    assert "a level from 1 to %(top)s" in code_msgids()
    assert "only the project's enterprise plans it from its own assessments" in code_msgids()


def test_every_msgid_has_a_chinese_translation() -> None:
    # this part's own catalogue, over the kernel's and the assessment module's (which the
    # pages reuse for the plan); the other parts' catalogues are not relied on
    shared = Catalogues([KERNEL_TRANSLATIONS, ASSESSMENT / "translations"])
    chinese = {m: shared.gettext("zh_CN", m) for m in shared.known("zh_CN")}
    chinese |= {m: text for m, text in _po("zh_CN") if text}
    missing = sorted(m for m in part_msgids() if m not in chinese)
    assert missing == [], f"msgids without a zh_CN translation: {missing}"
    not_chinese = sorted(m for m in part_msgids() if not CJK.search(chinese[m]))
    assert not_chinese == [], f"zh_CN translations without Chinese text: {not_chinese}"


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_translations_keep_the_placeholders(locale: str) -> None:
    for message_id, text in _po(locale):
        if text:
            assert placeholders(text) == placeholders(message_id), message_id


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_no_stale_entries(locale: str) -> None:
    stale = sorted(m for m, _ in _po(locale) if m not in part_msgids())
    assert stale == [], f"catalogue.po entries no catalogue page uses: {stale}"


def test_english_is_the_msgids() -> None:
    # English texts are the msgids themselves: the en catalogue lists them untranslated
    assert {m for m, _ in _po("en")} == {m for m, _ in _po("zh_CN")}
    assert all(text == "" for _, text in _po("en"))


def test_the_running_app_shows_this_parts_words() -> None:
    # Every installed app's catalogues are merged and the last one read wins, so a msgid that
    # another part translates differently would change these pages; keep the msgids apart.
    merged = Catalogues(
        [KERNEL_TRANSLATIONS]
        + [spec.translations_dir for spec in discover() if spec.translations_dir is not None]
    )
    overridden = sorted(m for m, text in _po("zh_CN") if merged.gettext("zh_CN", m) != text)
    assert overridden == [], f"other catalogues translate these msgids differently: {overridden}"
