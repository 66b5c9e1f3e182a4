"""The brain's catalogue: every text in Chinese, placeholders kept, nothing stale.

The labels of the figures apps offer the brain are checked too: the brain's pages show them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import loom.kernel.web
from loom.kernel.plugins.loader import discover
from loom.kernel.web.i18n import Catalogues
from loom.modules.brain.app import HERE, spec
from loom.modules.brain.service.capacity import PURPOSE
from loom.modules.brain.service.indices import INDEX_PURPOSES, LEVEL_PURPOSES
from loom.testing.i18n import code_msgids, placeholders, template_msgids
from tests.kernel.web.test_i18n import CJK

TRANSLATIONS = HERE / "translations"
KERNEL = Path(loom.kernel.web.__file__).parent / "translations"


def brain_msgids() -> set[str]:
    """Return every text of the brain: templates, marked and raised messages, purposes."""
    return (
        template_msgids(HERE / "templates")
        | code_msgids([HERE / "service", HERE / "pages", HERE / "api", HERE / "engine"])
        | {perm.description for perm in spec.permissions}
        | {item.label for item in spec.nav}
        | {spec.name, spec.description, PURPOSE}
        | set(INDEX_PURPOSES.values())
        | set(LEVEL_PURPOSES.values())
    )


def _po(locale: str) -> list[tuple[str, str]]:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return [(str(m.id), str(m.string)) for m in read_po(handle, locale=locale) if m.id]


def test_extraction_finds_the_brain_texts() -> None:
    assert {
        "Capacity map",
        "hidden: fewer than %(k)s enterprises",
        "Industry index by town",
        "to: the span ends before it starts",
        "Any category",
    } <= brain_msgids()


def test_every_text_and_every_figure_label_has_chinese() -> None:
    apps = discover()
    directories = [KERNEL] + [s.translations_dir for s in apps if s.translations_dir]
    catalogues = Catalogues(directories)
    labels = {m.label for s in apps for m in s.brain_metrics}
    assert "On-time delivery" in labels
    wanted = brain_msgids() | labels
    missing = sorted(m for m in wanted if m not in catalogues.known("zh_CN"))
    assert missing == [], f"msgids without a zh_CN translation: {missing}"
    not_chinese = sorted(m for m in wanted if not CJK.search(catalogues.gettext("zh_CN", m)))
    assert not_chinese == [], f"zh_CN translations without Chinese text: {not_chinese}"


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_translations_keep_the_placeholders_and_nothing_is_stale(locale: str) -> None:
    entries = _po(locale)
    for msgid, text in entries:
        assert placeholders(msgid) == placeholders(text), msgid
    stale = sorted(m for m, _ in entries if m not in brain_msgids())
    assert stale == [], f"catalogue entries the brain does not use: {stale}"
