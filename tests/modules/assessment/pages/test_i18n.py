"""Assessment page catalogues: complete in Chinese, faithful placeholders, used by the pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import loom.modules.assessment
from loom.kernel.web.i18n import Catalogues
from loom.modules.assessment.app import HERE, spec
from loom.modules.assessment.engine import builtin_ruleset
from loom.testing.i18n import code_msgids as shared_code_msgids
from loom.testing.i18n import placeholder_mismatches
from loom.testing.i18n import template_msgids as shared_template_msgids
from tests.kernel.web.test_i18n import CJK

MODULE_SRC = Path(loom.modules.assessment.__file__).parent
TRANSLATIONS = HERE / "translations"
# Python files whose raised messages or msgid() calls reach the pages.
SOURCES = ("pages", "service")
# Separators translate to Chinese punctuation, which has no ideographs.
PUNCTUATION = {", "}
# Texts the services store or return as data, which the pages translate when they show them.
SERVICE_DATA = {"shipped with Loom": "rulesets.py", "Loom reference catalogue": "planning.py"}


def template_msgids() -> set[str]:
    """Return every literal msgid of ``_()``/``ngettext()`` calls in the module's templates."""
    return shared_template_msgids(HERE / "templates")


def code_msgids() -> set[str]:
    """Return msgid() markers, gettext() literals and raised messages of pages and services."""
    return shared_code_msgids([MODULE_SRC / folder for folder in SOURCES])


def module_msgids() -> set[str]:
    """Return everything the assessment pages pass through ``_()``."""
    rules = builtin_ruleset()
    labels = {
        field.label
        for ind in rules.indicators()
        if ind.rate is not None
        for field in (ind.rate.numerator, ind.rate.denominator)
        if field.text is None
    }
    return (
        template_msgids()
        | code_msgids()
        | labels
        | {item.label for item in spec.nav}
        | {perm.description for perm in spec.permissions}
        | {spec.name, spec.description}
        | set(SERVICE_DATA)
    )


@pytest.fixture(scope="module")
def catalogues() -> Catalogues:
    return Catalogues([TRANSLATIONS])


def test_extraction_finds_the_pages_texts() -> None:
    assert {"Digital level", "Save draft", "Level %(n)s"} <= template_msgids()
    assert {"Not graded", "only managers fill in and submit assessments"} <= code_msgids()
    assert "this assessment is submitted; start a new one to change answers" in code_msgids()
    assert len(module_msgids()) > 150


def test_service_data_texts_are_still_what_the_services_write() -> None:
    for text, filename in SERVICE_DATA.items():
        assert f'"{text}"' in (MODULE_SRC / "service" / filename).read_text(encoding="utf-8")


def test_every_msgid_has_a_chinese_translation(catalogues: Catalogues) -> None:
    known = catalogues.known("zh_CN")
    missing = sorted(m for m in module_msgids() if m not in known)
    assert missing == [], f"msgids without a zh_CN translation: {missing}"
    not_chinese = sorted(
        m for m in module_msgids() - PUNCTUATION if not CJK.search(catalogues.gettext("zh_CN", m))
    )
    assert not_chinese == [], f"zh_CN translations without Chinese text: {not_chinese}"


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_translations_keep_the_placeholders(locale: str) -> None:
    po = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    assert dict(catalog.mime_headers)["Language"] == locale
    assert placeholder_mismatches(catalog) == []


def test_no_stale_entries() -> None:
    po = TRANSLATIONS / "zh_CN" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="zh_CN")
    used = module_msgids()
    stale = sorted(str(m.id) for m in catalog if m.id and m.id not in used)
    assert stale == [], f"catalogue entries no page uses: {stale}"


def test_english_falls_back_to_the_msgids(catalogues: Catalogues) -> None:
    assert catalogues.known("en") == set()
    assert catalogues.gettext("en", "Save draft") == "Save draft"
    assert re.search(CJK, catalogues.gettext("zh_CN", "Save draft"))
