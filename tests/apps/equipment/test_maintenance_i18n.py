"""Catalogue of the maintenance part: every text it shows has its Chinese, placeholders kept."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import loom.kernel.web
import loom.modules.masterdata.app as masterdata
from loom.apps.equipment.app import HERE
from loom.kernel.web.i18n import Catalogues
from loom.testing.i18n import code_msgids, placeholder_mismatches, template_msgids
from tests.kernel.web.test_i18n import CJK

TRANSLATIONS = HERE / "translations"
KERNEL = Path(loom.kernel.web.__file__).parent / "translations"
#: the Python files of this part (telemetry keeps its own catalogue)
SOURCES = [
    *sorted((HERE / "pages").glob("maintenance*.py")),
    HERE / "api" / "maintenance.py",
    HERE / "schemas_maintenance.py",
    *sorted((HERE / "service").glob("maintenance*.py")),
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
    """Return the msgids of the maintenance templates, raised errors, labels and problems."""
    templates = template_msgids(HERE / "templates", "maintenance_*.html")
    return templates | code_msgids(SOURCES) | _field_problems(SOURCES) | {"Maintenance"}


@pytest.fixture(scope="module")
def catalogues() -> Catalogues:
    # shared texts (field problems, machine types) come from master data at runtime
    return Catalogues([KERNEL, masterdata.HERE / "translations", TRANSLATIONS])


def test_extraction_finds_the_part_texts() -> None:
    assert {
        "Maintenance due",  # tab and page title
        "Breakdown repair",  # marked kind label
        "work order %(number)s must be started before it is closed",  # raised refusal
        "say what is abnormal",  # field problem
        "Downtime (minutes)",  # Excel heading and form label
    } <= part_msgids()


def test_every_msgid_has_a_chinese_translation(catalogues: Catalogues) -> None:
    known = catalogues.known("zh_CN")
    missing = sorted(m for m in part_msgids() if m not in known)
    assert missing == [], f"msgids without a zh_CN translation: {missing}"
    not_chinese = sorted(
        m for m in part_msgids() if m != "OEE" and not CJK.search(catalogues.gettext("zh_CN", m))
    )
    assert not_chinese == [], f"zh_CN translations without Chinese text: {not_chinese}"


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_translations_keep_the_placeholders(locale: str) -> None:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "maintenance.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    assert len(catalog) > 100
    assert placeholder_mismatches(catalog) == []


def test_english_falls_back_to_the_msgids(catalogues: Catalogues) -> None:
    assert catalogues.gettext("en", "Maintenance due") == "Maintenance due"
    assert catalogues.gettext("zh_CN", "Spot inspections") == "点巡检"
    late = catalogues.gettext("zh_CN", "overdue by %(n)s d")
    assert late % {"n": 3} == "逾期 3 天"
