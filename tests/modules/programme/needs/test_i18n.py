"""The N+X part's own translations: complete in Chinese, placeholders kept, nothing stale."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import loom.modules.programme
from loom.kernel.web.i18n import Catalogues
from loom.kernel.web.templating import KERNEL_TRANSLATIONS
from loom.testing.i18n import code_msgids as shared_code_msgids
from loom.testing.i18n import template_msgids as shared_template_msgids
from tests.kernel.web.test_i18n import CJK, placeholders

MODULE = Path(loom.modules.programme.__file__).parent
TRANSLATIONS = MODULE / "translations"
# the part's Python files whose messages reach the pages
SOURCES = (
    "pages/needs.py",
    "pages/needs_common.py",
    "pages/needs_lists.py",
    "pages/needs_scenarios.py",
    "service/needs.py",
    "service/needs_scenarios.py",
    "service/needs_lists.py",
    "service/needs_list_versions.py",
)
# calls whose first argument is an English msgid
MARKERS = {"msgid", "gettext", "NotFound", "Conflict", "ValidationFailed", "PermissionDenied"}
MARKERS |= {"FieldProblem"}
#: texts of shared files that the N+X pages show: the sector labels of pages/common.py
SHARED = {"Sportswear and leisure apparel", "NEV parts", "Home appliances"}


def template_msgids() -> set[str]:
    """Return every literal msgid of ``_()``/``ngettext()`` in the N+X templates."""
    return shared_template_msgids(MODULE / "templates", "needs_*.html")


def code_msgids() -> set[str]:
    """Return msgid() markers, raised messages and field problems of the part's code."""
    return shared_code_msgids([MODULE / name for name in SOURCES], MARKERS)


def part_msgids() -> set[str]:
    """Return every text the N+X pages pass through ``_()``."""
    return template_msgids() | code_msgids() | SHARED


def _po(locale: str) -> list[tuple[str, str]]:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "needs.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    assert dict(catalog.mime_headers)["Language"] == locale
    return [(str(m.id), str(m.string)) for m in catalog if m.id]


def test_extraction_finds_the_parts_texts() -> None:
    assert {"N+X lists", "Publish the three lists", "What changed"} <= template_msgids()
    assert "lower-case letters and digits joined by - or _, e.g. bundle-scan" in code_msgids()
    assert "Industry-chain collaboration" in code_msgids()
    assert "%(count)s survey needs point to this scenario: point them elsewhere first" in (
        code_msgids()
    )


def test_every_msgid_has_a_chinese_translation() -> None:
    # this part's own catalogue over the kernel's; the other parts' catalogues are not relied on
    shared = Catalogues([KERNEL_TRANSLATIONS])
    chinese = {m: shared.gettext("zh_CN", m) for m in shared.known("zh_CN")}
    chinese |= {m: text for m, text in _po("zh_CN") if text}
    used = part_msgids()
    missing = sorted(m for m in used if m not in chinese)
    assert missing == [], f"msgids without a zh_CN translation: {missing}"
    not_chinese = sorted(m for m in used if not CJK.search(chinese[m]))
    assert not_chinese == [], f"zh_CN translations without Chinese text: {not_chinese}"


def test_the_plan_stages_read_as_the_plan_words_them() -> None:
    # Chinese pages show the business stages in the action plan's own words (二、主要任务)
    from loom.modules.programme.engine import builtin_plan
    from loom.modules.programme.pages.needs_common import STAGE_LABELS

    chinese = dict(_po("zh_CN"))
    plan = {stage.id: stage.title for stage in builtin_plan().business_stages}
    assert {key: chinese[label] for key, label in STAGE_LABELS.items()} == plan


def test_shared_msgids_agree_with_the_other_programme_catalogues() -> None:
    # every *.po is merged into one catalogue, so a msgid two parts share must read the same
    mine = dict(_po("zh_CN"))
    for other in sorted((TRANSLATIONS / "zh_CN" / "LC_MESSAGES").glob("*.po")):
        if other.name == "needs.po":
            continue
        with other.open("rb") as handle:
            theirs = {str(m.id): str(m.string) for m in read_po(handle, locale="zh_CN") if m.id}
        clashes = {m: (mine[m], theirs[m]) for m in mine.keys() & theirs.keys()}
        clashes = {m: pair for m, pair in clashes.items() if pair[1] and pair[0] != pair[1]}
        assert clashes == {}, f"{other.name} translates these differently: {clashes}"


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_translations_keep_the_placeholders(locale: str) -> None:
    for message_id, text in _po(locale):
        if text:
            assert placeholders(text) == placeholders(message_id), message_id


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_no_stale_entries(locale: str) -> None:
    used = part_msgids()
    stale = sorted(m for m, _ in _po(locale) if m not in used)
    assert stale == [], f"needs.po entries no N+X page uses: {stale}"


def test_english_is_the_msgids() -> None:
    # English texts are the msgids themselves: the en catalogue lists them untranslated
    assert {m for m, _ in _po("en")} == {m for m, _ in _po("zh_CN")}
    assert all(text == "" for _, text in _po("en"))
