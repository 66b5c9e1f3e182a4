"""Catalogue of the plan part: every text it shows has its Chinese, placeholders intact."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

import loom.kernel.web
import loom.modules.masterdata.app as masterdata
from loom.apps.scheduling.app import HERE
from loom.kernel.web.i18n import LOCALE_COOKIE, Catalogues
from loom.testing.i18n import code_msgids, placeholder_mismatches, template_msgids
from tests.apps.scheduling.plans.conftest import PAGES, Seed, run_plan
from tests.kernel.web.test_i18n import CJK

TRANSLATIONS = HERE / "translations"
KERNEL = Path(loom.kernel.web.__file__).parent / "translations"
#: the Python files of this part (the milestones part keeps its own catalogue)
SOURCES = [
    HERE / "api" / "plans.py",
    HERE / "api" / "plans_profiles.py",
    HERE / "schemas_plans.py",
    *sorted(p for p in (HERE / "service").glob("*.py") if "milestones" not in p.name),
    *sorted((HERE / "pages").glob("plans*.py")),
]


def _field_problems(paths: list[Path]) -> set[str]:
    # FieldProblem(field, template, …) and the what-if's _bad(field, template, …)
    found: set[str] = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("FieldProblem", "_bad")
                and len(node.args) > 1
                and isinstance(node.args[1], ast.Constant)
                and isinstance(node.args[1].value, str)
            ):
                found.add(node.args[1].value)
    return found


def part_msgids() -> set[str]:
    """Return the msgids of the plan templates, raised errors, marked labels and problems."""
    templates = template_msgids(HERE / "templates", "plans_*.html")
    return templates | code_msgids(SOURCES) | _field_problems(SOURCES)


@pytest.fixture(scope="module")
def catalogues() -> Catalogues:
    # the masterdata catalogue is merged at runtime too: its shared field problems count
    return Catalogues([KERNEL, masterdata.HERE / "translations", TRANSLATIONS])


def test_extraction_finds_the_part_texts() -> None:
    assert {
        "Gantt chart",  # template
        "plan %(id)s is the current plan and cannot be discarded",  # raised Conflict
        "Rush order",  # marked scenario label
        "a whole number from 1 to 5",  # field problem
        "no working day of this line in the range",  # what-if problem
        "Days late",  # Excel heading
    } <= part_msgids()


def test_every_msgid_has_a_chinese_translation(catalogues: Catalogues) -> None:
    known = catalogues.known("zh_CN")
    missing = sorted(m for m in part_msgids() if m not in known)
    assert missing == [], f"msgids without a zh_CN translation: {missing}"
    not_chinese = sorted(m for m in part_msgids() if not CJK.search(catalogues.gettext("zh_CN", m)))
    assert not_chinese == [], f"zh_CN translations without Chinese text: {not_chinese}"


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_translations_keep_the_placeholders(locale: str) -> None:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "plans.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    assert len(catalog) > 100
    assert placeholder_mismatches(catalog) == []


def test_the_plan_page_in_both_languages(admin: TestClient, seeded: Seed) -> None:
    plan = run_plan(admin)
    chinese = admin.get(f"{PAGES}/plans/{plan['id']}").text
    assert "甘特图" in chinese
    assert "每周产能负荷" in chinese
    assert "Gantt chart" not in chinese
    admin.cookies.set(LOCALE_COOKIE, "en")
    english = admin.get(f"{PAGES}/plans/{plan['id']}").text
    assert "Gantt chart" in english
    assert "甘特图" not in english
