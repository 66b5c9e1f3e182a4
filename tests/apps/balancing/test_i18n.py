"""The app's catalogues: every text it can show has its Chinese, placeholders are kept."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import loom.kernel.web
from loom.apps.balancing.app import HERE, spec
from loom.kernel.web.i18n import Catalogues
from loom.testing.i18n import code_msgids, template_msgids
from tests.kernel.web.test_i18n import CJK, placeholders

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


def app_msgids() -> set[str]:
    """Return every text of the app: templates, marked and raised messages, permissions."""
    return (
        template_msgids(HERE / "templates")
        | code_msgids([HERE / "service", HERE / "pages", HERE / "api.py"])
        | _field_problem_templates(HERE / "service")
        | {perm.description for perm in spec.permissions}
        | {item.label for item in spec.nav}
        | {spec.name, spec.description}
    )


def test_extraction_finds_the_app_texts() -> None:
    assert {
        "Line balancing",
        "Undo the last edit",
        "Station %(station)s is loaded above the cycle time.",
        "the line has only %(n)s operators",
        "there is no edit to undo",
        "the plan has no production line",
    } <= app_msgids()


def test_every_msgid_has_a_chinese_translation() -> None:
    catalogues = Catalogues([KERNEL, TRANSLATIONS])
    missing = sorted(m for m in app_msgids() if m not in catalogues.known("zh_CN"))
    assert missing == [], f"msgids without a zh_CN translation: {missing}"
    not_chinese = sorted(m for m in app_msgids() if not CJK.search(catalogues.gettext("zh_CN", m)))
    assert not_chinese == [], f"zh_CN translations without Chinese text: {not_chinese}"


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_translations_keep_the_placeholders(locale: str) -> None:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    checked = 0
    for message in catalog:
        if message.id and message.string:
            assert placeholders(str(message.id)) == placeholders(str(message.string)), message.id
            checked += 1
    assert checked > 100
