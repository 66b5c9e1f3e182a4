"""Registry catalogues: every msgid of the registry pages translated, placeholders kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

import loom.modules.programme
from loom.kernel.web.i18n import Catalogues
from loom.kernel.web.templating import KERNEL_TRANSLATIONS
from loom.testing.i18n import code_msgids, placeholder_mismatches
from tests.kernel.web.test_i18n import CJK

HERE = Path(loom.modules.programme.__file__).parent
TRANSLATIONS = HERE / "translations"
ASSESSMENT_TRANSLATIONS = HERE.parent / "assessment" / "translations"
TEMPLATES = sorted((HERE / "templates").glob("registry_*.html"))
SOURCES = (
    HERE / "pages" / "registry.py",
    HERE / "pages" / "registry_entry.py",
    HERE / "pages" / "registry_import.py",
    HERE / "service" / "registry.py",
    HERE / "service" / "registry_base.py",
    HERE / "service" / "registry_facts.py",
    HERE / "api" / "registry.py",
)
#: shared labels of pages/common.py that the registry pages show
SHARED = {"Sportswear and leisure apparel", "NEV parts", "Home appliances", "Other"}


def template_msgids() -> set[str]:
    """Return every literal msgid of ``_()``/``ngettext()`` in the registry templates."""
    found: set[str] = set()
    for path in TEMPLATES:
        for _lineno, message, _comments, _context in extract_from_file(
            "jinja2.ext:babel_extract",
            str(path),
            options={"trim_blocks": "true", "lstrip_blocks": "true"},
        ):
            found.update([message] if isinstance(message, str) else [m for m in message if m])
    return found


def registry_msgids() -> set[str]:
    """Return everything the registry pages pass through ``_()``."""
    return template_msgids() | code_msgids(SOURCES) | SHARED


def _catalog(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "registry.po"


def test_extraction_finds_the_registry_texts() -> None:
    assert {"Enterprise registry", "Import enterprises from Excel", "Row"} <= template_msgids()
    assert "Enter a date as YYYY-MM-DD." in code_msgids(SOURCES)
    assert "credit_code: %(code)s is already in the registry as %(name)s" in code_msgids(SOURCES)
    assert len(registry_msgids()) > 100


def test_every_msgid_has_a_chinese_translation() -> None:
    catalogues = Catalogues([TRANSLATIONS])
    known = catalogues.known("zh_CN")
    missing = sorted(m for m in registry_msgids() if m not in known)
    assert missing == [], f"msgids without a zh_CN translation: {missing}"
    not_chinese = sorted(
        m for m in registry_msgids() if not CJK.search(catalogues.gettext("zh_CN", m))
    )
    assert not_chinese == [], f"zh_CN translations without Chinese text: {not_chinese}"


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_catalogues_list_the_same_msgids_with_their_placeholders(locale: str) -> None:
    with _catalog(locale).open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    assert dict(catalog.mime_headers)["Language"] == locale
    ids = {str(m.id) for m in catalog if m.id}
    assert ids == registry_msgids(), "the catalogue and the pages disagree"
    assert placeholder_mismatches(catalog) == []


def test_english_falls_back_to_the_msgids() -> None:
    with _catalog("en").open("rb") as handle:
        catalog = read_po(handle, locale="en")
    assert [m.id for m in catalog if m.id and m.string] == []
    assert Catalogues([TRANSLATIONS]).gettext("en", "Enterprise registry") == "Enterprise registry"


def test_shared_msgids_keep_the_shared_translations() -> None:
    # catalogues are merged into one table, so a different text here would change other pages
    ours = Catalogues([TRANSLATIONS])
    for folder in (KERNEL_TRANSLATIONS, ASSESSMENT_TRANSLATIONS):
        theirs = Catalogues([folder])
        clashes = sorted(
            m
            for m in registry_msgids() & theirs.known("zh_CN")
            if theirs.gettext("zh_CN", m) != ours.gettext("zh_CN", m)
        )
        assert clashes == [], f"translated differently from {folder}: {clashes}"
