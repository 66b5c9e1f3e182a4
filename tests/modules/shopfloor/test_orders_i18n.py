"""Catalogue of the order, cutting and ticket part: every text it shows has its Chinese."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import loom.kernel.web
import loom.modules.masterdata.app as masterdata
from loom.kernel.web.i18n import Catalogues
from loom.modules.shopfloor.app import HERE
from loom.testing.i18n import code_msgids, placeholder_mismatches, template_msgids
from tests.kernel.web.test_i18n import CJK

TRANSLATIONS = HERE / "translations"
KERNEL = Path(loom.kernel.web.__file__).parent / "translations"
#: the Python files of this part (other parts of the module keep their own catalogues)
SOURCES = [
    HERE / "service" / "orders.py",
    HERE / "service" / "cutting.py",
    HERE / "service" / "tickets.py",
    HERE / "api" / "orders.py",
    HERE / "api" / "orders_cutting.py",
    HERE / "schemas_orders.py",
    *sorted((HERE / "pages").glob("orders*.py")),
]


def _field_problems(paths: list[Path]) -> set[str]:
    # FieldProblem(field, template, ...): the msgid is the second argument
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


def part_msgids() -> set[str]:
    """Return the msgids of the order templates, raised errors, marked labels and problems."""
    templates = template_msgids(HERE / "templates", "orders_*.html") | template_msgids(
        HERE / "templates", "tickets_*.html"
    )
    return templates | code_msgids(SOURCES) | _field_problems(SOURCES)


@pytest.fixture(scope="module")
def catalogues() -> Catalogues:
    # the masterdata catalogue is merged at runtime too: its shared field problems count
    return Catalogues([KERNEL, masterdata.HERE / "translations", TRANSLATIONS])


def test_extraction_finds_the_part_texts() -> None:
    assert {
        "Production orders",  # template
        "order %(number)s has cut bundles and cannot be deleted",  # raised Conflict
        "Cutting in progress",  # marked status label
        "order at least one piece",  # field problem
        "Late",  # Excel heading
        "Print all bundle tickets",  # ticket template link
        "No bundle to print: cut a lay first.",  # tickets template
    } <= part_msgids()


def test_every_msgid_has_a_chinese_translation(catalogues: Catalogues) -> None:
    known = catalogues.known("zh_CN")
    missing = sorted(m for m in part_msgids() if m not in known)
    assert missing == [], f"msgids without a zh_CN translation: {missing}"
    not_chinese = sorted(m for m in part_msgids() if not CJK.search(catalogues.gettext("zh_CN", m)))
    assert not_chinese == [], f"zh_CN translations without Chinese text: {not_chinese}"


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_translations_keep_the_placeholders(locale: str) -> None:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "orders.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    assert len(catalog) > 50
    assert placeholder_mismatches(catalog) == []


def test_english_falls_back_to_the_msgids(catalogues: Catalogues) -> None:
    assert catalogues.gettext("en", "Production orders") == "Production orders"
    assert catalogues.gettext("zh_CN", "Production orders") == "生产订单"
    refused = catalogues.gettext("zh_CN", "order %(number)s has cut bundles and cannot be deleted")
    assert refused % {"number": "PO-7"} == "订单 PO-7 已有裁好的扎，不能删除"
