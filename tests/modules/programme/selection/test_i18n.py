"""Selection catalogues: every text of the selection pages in Chinese, placeholders kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import loom.modules.programme
from loom.kernel.web.i18n import Catalogues
from loom.kernel.web.templating import KERNEL_TRANSLATIONS
from loom.modules.programme.pages.common import SECTOR_LABELS
from loom.modules.programme.service import contractor_selection, selection, selection_ranking
from loom.testing.i18n import code_msgids as shared_code_msgids
from loom.testing.i18n import template_msgids as shared_template_msgids
from tests.kernel.web.test_i18n import CJK, placeholders

MODULE = Path(loom.modules.programme.__file__).parent
TRANSLATIONS = MODULE / "translations"
SOURCES = (
    "pages/selection.py",
    "pages/selection_pilot.py",
    "pages/selection_contractors.py",
    "pages/selection_bid.py",
    "pages/selection_labels.py",
    "pages/selection_export.py",
    "service/selection.py",
    "service/selection_sheets.py",
    "service/selection_ranking.py",
    "service/contractor_selection.py",
    "service/contractor_ranking.py",
    "api/selection.py",
    "api/selection_contractors.py",
)
# calls whose first argument is an English msgid
MARKERS = {"msgid", "NotFound", "Conflict", "ValidationFailed", "PermissionDenied"}
#: refusals kept in tables rather than raised literally; the pages translate them
TABLES = {
    *selection.REFUSED_IN_STATUS.values(),
    *contractor_selection.REFUSED_IN_STATUS.values(),
    selection_ranking.QUOTA_FULL,
    selection_ranking.NO_QUOTA,
    *SECTOR_LABELS.values(),
}


def template_msgids() -> set[str]:
    """Return every literal msgid of ``_()``/``ngettext()`` in the selection templates."""
    return shared_template_msgids(MODULE / "templates", "selection_*.html")


def code_msgids() -> set[str]:
    """Return msgid() markers and raised messages of the selection's Python files."""
    return shared_code_msgids([MODULE / name for name in SOURCES], MARKERS)


def part_msgids() -> set[str]:
    """Return every text the selection pages pass through ``_()``."""
    return template_msgids() | code_msgids() | TABLES


def _po(locale: str) -> list[tuple[str, str]]:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "selection.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    assert dict(catalog.mime_headers)["Language"] == locale
    return [(str(m.id), str(m.string)) for m in catalog if m.id]


def test_extraction_finds_the_parts_texts() -> None:
    assert {"Pilot ranking", "Enter an expert's sheet", "General-contractor ranking"} <= (
        template_msgids()
    )
    assert "Strong will of the top manager" in code_msgids()
    assert "enterprise_id: %(name)s already has application %(id)s" in code_msgids()
    assert selection_ranking.QUOTA_FULL in part_msgids()
    assert len(part_msgids()) > 150


def test_every_msgid_has_a_chinese_translation() -> None:
    # this part's own catalogue over the kernel's; the other parts' catalogues are not relied on
    kernel = Catalogues([KERNEL_TRANSLATIONS])
    chinese = {m: kernel.gettext("zh_CN", m) for m in kernel.known("zh_CN")}
    chinese |= {m: text for m, text in _po("zh_CN") if text}
    used = part_msgids()
    missing = sorted(m for m in used if m not in chinese)
    assert missing == [], f"msgids without a zh_CN translation: {missing}"
    not_chinese = sorted(m for m in used if not CJK.search(chinese[m]))
    assert not_chinese == [], f"zh_CN translations without Chinese text: {not_chinese}"


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_translations_keep_the_placeholders(locale: str) -> None:
    for message_id, text in _po(locale):
        if text:
            assert placeholders(text) == placeholders(message_id), message_id


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_no_stale_entries(locale: str) -> None:
    used = part_msgids()
    stale = sorted(m for m, _ in _po(locale) if m not in used)
    assert stale == [], f"selection.po entries no selection page uses: {stale}"


def test_english_is_the_msgids() -> None:
    assert {m for m, _ in _po("en")} == {m for m, _ in _po("zh_CN")}
    assert all(text == "" for _, text in _po("en"))


def test_shared_msgids_agree_with_the_other_catalogues() -> None:
    # every *.po is merged into one catalogue: a msgid two parts translate differently
    # would show one part's words on the other's pages
    ours = dict(_po("zh_CN"))
    for po in sorted((TRANSLATIONS / "zh_CN" / "LC_MESSAGES").glob("*.po")):
        if po.name == "selection.po":
            continue
        with po.open("rb") as handle:
            theirs = {str(m.id): str(m.string) for m in read_po(handle, locale="zh_CN") if m.id}
        clashes = {m: (ours[m], theirs[m]) for m in ours.keys() & theirs.keys()}
        clashes = {m: pair for m, pair in clashes.items() if pair[1] and pair[0] != pair[1]}
        assert clashes == {}, f"{po.name} translates these differently: {clashes}"
