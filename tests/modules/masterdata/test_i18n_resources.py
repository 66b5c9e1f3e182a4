"""Catalogue of lines, workstations, operators and machines: every text raised has its Chinese."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from loom.kernel.web.i18n import Catalogues
from loom.modules.masterdata.app import HERE
from loom.modules.masterdata.permissions import PERMISSIONS
from loom.testing.i18n import code_msgids, placeholder_mismatches
from tests.kernel.web.test_i18n import CJK
from tests.modules.masterdata.test_i18n import KERNEL, TRANSLATIONS

SOURCES = [
    HERE / "service" / "lines.py",
    HERE / "service" / "workstations.py",
    HERE / "service" / "operators.py",
    HERE / "service" / "machines.py",
    HERE / "api_resources.py",
    HERE / "schemas_resources.py",
]
NEW_PERMISSIONS = ("masterdata.line.", "masterdata.operator.", "masterdata.machine.")


def _field_problem_templates_of(path: Path) -> set[str]:
    # FieldProblem(field, template, ...): the msgid is the second argument
    found: set[str] = set()
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


def resource_msgids() -> set[str]:
    """Return the raised messages, field problems and permission texts of these parts."""
    found = code_msgids(SOURCES)
    for source in SOURCES:
        found |= _field_problem_templates_of(source)
    return found | {p.description for p in PERMISSIONS if p.name.startswith(NEW_PERMISSIONS)}


@pytest.fixture(scope="module")
def catalogues() -> Catalogues:
    return Catalogues([KERNEL, TRANSLATIONS])


def test_extraction_finds_these_texts() -> None:
    found = resource_msgids()
    assert {
        "code: line %(code)s exists already",
        "the workstation is on another line",
        "a percentage from 1 to 200",
        "Read the machine ledger",
    } <= found


def test_every_msgid_has_a_chinese_translation(catalogues: Catalogues) -> None:
    known = catalogues.known("zh_CN")
    missing = sorted(m for m in resource_msgids() if m not in known)
    assert missing == [], f"msgids without a zh_CN translation: {missing}"
    not_chinese = sorted(
        m for m in resource_msgids() if not CJK.search(catalogues.gettext("zh_CN", m))
    )
    assert not_chinese == [], f"zh_CN translations without Chinese text: {not_chinese}"


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_translations_keep_the_placeholders(locale: str) -> None:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "resources.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    ids = {m.id for m in catalog if m.id}
    assert len(ids) >= 24  # the catalogue was read, not silently empty
    assert placeholder_mismatches(catalog) == []


def test_english_and_chinese_render_a_refusal(catalogues: Catalogues) -> None:
    msgid = (
        "line %(code)s is still used by %(operators)s operator(s), "
        "%(workstations)s workstation(s) and %(machines)s machine(s)"
    )
    params = {"code": "L1", "operators": 1, "workstations": 2, "machines": 0}
    assert catalogues.gettext("en", msgid) % params == (
        "line L1 is still used by 1 operator(s), 2 workstation(s) and 0 machine(s)"
    )
    assert catalogues.gettext("zh_CN", msgid) % params == (
        "产线 L1 仍被 1 名员工、2 个工位和 0 台设备使用"
    )
