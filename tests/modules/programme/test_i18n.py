"""Programme console catalogues: every text of every page and service has its Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import loom.kernel.web
import loom.modules.assessment
from loom.kernel.web.i18n import Catalogues
from loom.modules.programme.app import HERE, spec
from loom.testing.i18n import code_msgids, template_msgids
from tests.kernel.web.test_i18n import CJK, placeholders

TRANSLATIONS = HERE / "translations"
KERNEL = Path(loom.kernel.web.__file__).parent / "translations"
# the plan page shows the assessment module's plan, with that module's texts
ASSESSMENT = Path(loom.modules.assessment.__file__).parent / "translations"
# separators and codes that read the same in both languages
SAME_IN_BOTH = {", ", "N", "X", "—"}


def module_msgids() -> set[str]:
    """Return everything the programme pages and services pass through ``_()``."""
    return (
        template_msgids(HERE / "templates")
        | code_msgids([HERE / "pages", HERE / "service", HERE / "api"])
        | {item.label for item in spec.nav}
        | {perm.description for perm in spec.permissions}
        | {spec.name, spec.description}
    )


@pytest.fixture(scope="module")
def catalogues() -> Catalogues:
    return Catalogues([KERNEL, ASSESSMENT, TRANSLATIONS])


def test_extraction_finds_the_console_texts() -> None:
    found = module_msgids()
    assert {"Transformation projects", "Batches and quotas", "Past deadline"} <= found
    assert "only the bureau decides acceptance" in found
    assert len(found) > 200


def test_every_msgid_has_a_chinese_translation(catalogues: Catalogues) -> None:
    known = catalogues.known("zh_CN")
    missing = sorted(m for m in module_msgids() if m not in known)
    assert missing == [], f"msgids without a zh_CN translation: {missing}"
    not_chinese = sorted(
        m for m in module_msgids() - SAME_IN_BOTH if not CJK.search(catalogues.gettext("zh_CN", m))
    )
    assert not_chinese == [], f"zh_CN translations without Chinese text: {not_chinese}"


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_translations_keep_the_placeholders(locale: str) -> None:
    for po in sorted((TRANSLATIONS / locale / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        for message in catalog:
            if message.id and message.string:
                assert isinstance(message.id, str)
                assert isinstance(message.string, str)
                assert placeholders(message.string) == placeholders(message.id), (po, message.id)


def test_english_falls_back_to_the_msgids(catalogues: Catalogues) -> None:
    assert catalogues.gettext("en", "Transformation projects") == "Transformation projects"
    assert catalogues.gettext("zh_CN", "Transformation projects") == "数字化改造项目"
