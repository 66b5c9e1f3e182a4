"""The module's catalogue: every text of pages, code and field problems in Chinese, no clashes."""

from __future__ import annotations

import ast

import pytest
from babel.messages.pofile import read_po

from loom.kernel.web.i18n import Catalogues
from loom.kernel.web.templating import KERNEL_TRANSLATIONS
from loom.modules.matching.app import HERE, spec
from loom.testing.i18n import code_msgids, placeholders, template_msgids
from tests.kernel.web.test_i18n import CJK

TRANSLATIONS = HERE / "translations"
#: texts the kernel's catalogue translates (error envelopes, "must not be empty" …) may be ASCII
ASCII_OK = {"%(kind)s %(id)s not found"}


def _field_problems() -> set[str]:
    """Return the templates of FieldProblem(field, template, …) calls: shown on the form."""
    found: set[str] = set()
    for path in HERE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", "") == "FieldProblem"
                and len(node.args) > 1
                and isinstance(node.args[1], ast.Constant)
            ):
                found.add(str(node.args[1].value))
    return found


def msgids() -> set[str]:
    """Return every text the module passes through ``_()``."""
    nav = {item.label for item in spec.nav}
    return template_msgids(HERE / "templates") | code_msgids([HERE]) | _field_problems() | nav


def test_extraction_finds_the_texts() -> None:
    found = msgids()
    assert {"Order match-making", "Ranking of factories", "not shared"} <= found
    assert "line %(line)s: write colour, size, pieces" in found


def test_every_msgid_has_a_chinese_translation() -> None:
    shared = Catalogues([KERNEL_TRANSLATIONS, TRANSLATIONS])
    missing = sorted(m for m in msgids() if m not in shared.known("zh_CN"))
    assert missing == [], f"msgids without a zh_CN translation: {missing}"
    latin = sorted(m for m in msgids() - ASCII_OK if not CJK.search(shared.gettext("zh_CN", m)))
    assert latin == [], f"zh_CN translations without Chinese text: {latin}"


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_translations_keep_the_placeholders(locale: str) -> None:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    for message in catalog:
        if message.id and message.string:
            assert placeholders(str(message.string)) == placeholders(str(message.id)), message.id
