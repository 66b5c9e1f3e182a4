"""Master-data catalogues: every text the module can show has its Chinese, English falls back."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import loom.kernel.web
from loom.kernel.web.i18n import Catalogues
from loom.modules.masterdata.app import HERE, spec
from loom.testing.i18n import code_msgids, placeholder_mismatches
from tests.kernel.web.test_i18n import CJK

TRANSLATIONS = HERE / "translations"
KERNEL = Path(loom.kernel.web.__file__).parent / "translations"


def _field_problem_templates(source: Path) -> set[str]:
    # FieldProblem(field, template, ...): the msgid is the second argument
    found: set[str] = set()
    for path in source.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "FieldProblem"
                and len(node.args) > 1
                and isinstance(node.args[1], ast.Constant)
                and isinstance(node.args[1].value, str)
            ):
                found.add(node.args[1].value)
    return found


def module_msgids() -> set[str]:
    """Return the module's raised messages, field problems, permissions and name."""
    return (
        code_msgids([HERE / "service", HERE / "api.py", HERE / "schemas.py"])
        | _field_problem_templates(HERE / "service")
        | {perm.description for perm in spec.permissions}
        | {spec.name, spec.description}
    )


@pytest.fixture(scope="module")
def catalogues() -> Catalogues:
    return Catalogues([KERNEL, TRANSLATIONS])


def test_extraction_finds_the_module_texts() -> None:
    found = module_msgids()
    assert {
        "Garment master data",
        "the precedence has a cycle: %(cycle)s",
        "must be after %(latest)s, the latest version's date",
        "No piece rate of operation %(id)s is in force on %(day)s",
    } <= found


def test_every_msgid_has_a_chinese_translation(catalogues: Catalogues) -> None:
    known = catalogues.known("zh_CN")
    missing = sorted(m for m in module_msgids() if m not in known)
    assert missing == [], f"msgids without a zh_CN translation: {missing}"
    not_chinese = sorted(
        m for m in module_msgids() if not CJK.search(catalogues.gettext("zh_CN", m))
    )
    assert not_chinese == [], f"zh_CN translations without Chinese text: {not_chinese}"


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_translations_keep_the_placeholders(locale: str) -> None:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    assert placeholder_mismatches(catalog) == []


def test_english_falls_back_to_the_msgids(catalogues: Catalogues) -> None:
    assert catalogues.gettext("en", "Garment master data") == "Garment master data"
    assert catalogues.gettext("zh_CN", "Garment master data") == "服装基础数据"
    cycle = catalogues.gettext("zh_CN", "the precedence has a cycle: %(cycle)s")
    assert cycle % {"cycle": "1 → 2 → 1"} == "工序先后关系存在循环：1 → 2 → 1"
