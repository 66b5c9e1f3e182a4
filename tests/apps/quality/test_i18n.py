"""Catalogue of the quality app: every text it shows has its Chinese, placeholders kept."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import loom.kernel.web
from loom.apps.quality.app import HERE
from loom.kernel.web.i18n import Catalogues
from loom.testing.i18n import code_msgids, placeholder_mismatches, template_msgids
from tests.kernel.web.test_i18n import CJK

TRANSLATIONS = HERE / "translations"
KERNEL = Path(loom.kernel.web.__file__).parent / "translations"
#: the app's Python files; the AQL engine and the CLI print no catalogue texts
SOURCES = [p for p in HERE.rglob("*.py") if "aql" not in p.parts and p.name != "cli.py"]


def _field_problems(paths: list[Path]) -> set[str]:
    found: set[str] = set()
    for path in paths:
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


def app_msgids() -> set[str]:
    """Return the msgids of the templates, marked labels, raised errors, problems and nav."""
    nav = {"Quality inspections", "AQL final inspection", "DHU and defect Pareto"}
    return (
        template_msgids(HERE / "templates") | code_msgids(SOURCES) | _field_problems(SOURCES) | nav
    )


@pytest.fixture(scope="module")
def catalogues() -> Catalogues:
    return Catalogues([KERNEL, TRANSLATIONS])


def test_extraction_finds_the_app_texts() -> None:
    assert {
        "AQL inspection report",  # the printable report
        "Critical defect",  # marked class label
        "no bundle with this number",  # field problem
        "defect %(code)s is named by %(n)s inspection record(s): deactivate it instead",
        "Defects by code",  # Excel heading
    } <= app_msgids()


def test_every_msgid_has_a_chinese_translation(catalogues: Catalogues) -> None:
    known = catalogues.known("zh_CN")
    missing = sorted(m for m in app_msgids() if m not in known)
    assert missing == [], f"msgids without a zh_CN translation: {missing}"
    not_chinese = sorted(m for m in app_msgids() if not CJK.search(catalogues.gettext("zh_CN", m)))
    assert not_chinese == [], f"zh_CN translations without Chinese text: {not_chinese}"


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_translations_keep_the_placeholders(locale: str) -> None:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    assert len(catalog) > 150
    assert placeholder_mismatches(catalog) == []


def test_both_languages(catalogues: Catalogues) -> None:
    assert catalogues.gettext("en", "Lot rejected") == "Lot rejected"
    assert catalogues.gettext("zh_CN", "Lot rejected") == "批拒收"
    text = catalogues.gettext("zh_CN", "at most the %(qty)s pieces of bundle %(number)s")
    assert text % {"qty": 30, "number": 7} == "不能超过第 7 扎的 30 件"
