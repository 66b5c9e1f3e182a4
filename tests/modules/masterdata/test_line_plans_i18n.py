"""Every text of the published line plans has its Chinese, in both modules' new catalogues."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from loom.kernel.web.i18n import Catalogues
from loom.kernel.web.templating import KERNEL_TRANSLATIONS
from loom.modules.masterdata.app import HERE as MASTERDATA
from loom.modules.shopfloor.app import HERE as SHOPFLOOR
from loom.testing.i18n import code_msgids, placeholder_mismatches, template_msgids
from tests.kernel.web.test_i18n import CJK

MASTERDATA_SOURCES = [
    MASTERDATA / "service" / "line_plans.py",
    MASTERDATA / "service" / "line_plan_views.py",
    MASTERDATA / "pages" / "line_plans.py",
    MASTERDATA / "api_line_plans.py",
]
SHOPFLOOR_SOURCES = [SHOPFLOOR / "service" / "quarantine.py"]


def _field_problems(path: Path) -> set[str]:
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


def masterdata_msgids() -> set[str]:
    """Return the texts of the plan's pages, refusals and field problems (masterdata)."""
    templates = MASTERDATA / "templates"
    found = template_msgids(templates, "_line_plan.html")
    found |= template_msgids(templates, "line_plan_withdraw.html")
    found |= code_msgids(MASTERDATA_SOURCES)
    return found | _field_problems(MASTERDATA / "service" / "line_plans.py")


def shopfloor_msgids() -> set[str]:
    """Return the texts of the dashboard panel, the quarantine page and its refusals."""
    templates = SHOPFLOOR / "templates"
    found = template_msgids(templates, "line_plan_*.html")
    # the fix's refusal sits in a table of the quarantine service, out of the extractor's sight
    refusal = "operator_code: the published line plan gives this operation to another operator"
    return found | code_msgids(SHOPFLOOR_SOURCES) | {refusal}


@pytest.fixture(scope="module")
def catalogues() -> Catalogues:
    return Catalogues(
        [KERNEL_TRANSLATIONS, MASTERDATA / "translations", SHOPFLOOR / "translations"]
    )


def test_extraction_finds_these_texts() -> None:
    assert {
        "Published line plan",
        "the station has another operator already",
        "line %(code)s has no published plan",
    } <= masterdata_msgids()
    assert {
        "Who does what",
        "Apply anyway",
        "Operator not assigned to this operation in the published line plan",
        "operator_code: the published line plan gives this operation to another operator",
    } <= shopfloor_msgids()


def test_every_msgid_has_a_chinese_translation(catalogues: Catalogues) -> None:
    known = catalogues.known("zh_CN")
    wanted = masterdata_msgids() | shopfloor_msgids()
    assert sorted(m for m in wanted if m not in known) == []
    not_chinese = sorted(m for m in wanted if not CJK.search(catalogues.gettext("zh_CN", m)))
    assert not_chinese == []


@pytest.mark.parametrize("module", [MASTERDATA, SHOPFLOOR])
@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_translations_keep_the_placeholders(module: Path, locale: str) -> None:
    with (module / "translations" / locale / "LC_MESSAGES" / "line_plans.po").open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    assert len([m for m in catalog if m.id]) >= 14  # the catalogue was read, not empty
    assert placeholder_mismatches(catalog) == []
