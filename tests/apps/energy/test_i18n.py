"""The app's catalogues: every text it can show has its Chinese, placeholders are kept."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import loom.kernel.web
from loom.apps.energy.app import HERE, spec
from loom.apps.energy.engine.readings import DROPPED
from loom.kernel.web.i18n import Catalogues
from loom.testing.i18n import code_msgids, template_msgids
from tests.kernel.web.test_i18n import CJK, placeholders

TRANSLATIONS = HERE / "translations"
KERNEL = Path(loom.kernel.web.__file__).parent / "translations"
#: calls whose argument at the index is a msgid: field problems, refusals and file-row problems
TEMPLATE_ARGS = {"FieldProblem": 1, "Refusal": 1, "RowProblem": 2}


def _templates(source: Path) -> set[str]:
    found: set[str] = set()
    for path in source.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            index = TEMPLATE_ARGS.get(node.func.id)
            if index is None or len(node.args) <= index:
                continue
            arg = node.args[index]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add(arg.value)
    return found


def app_msgids() -> set[str]:
    """Return every text of the app: templates, marked and raised messages, permissions."""
    return (
        template_msgids(HERE / "templates")
        | code_msgids([HERE / "service", HERE / "pages", HERE / "api.py", HERE / "engine"])
        | _templates(HERE)
        # the numbers' own problems are built from variables
        | {"must be greater than 0", "must not be negative", DROPPED}
        | {perm.description for perm in spec.permissions}
        | {item.label for item in spec.nav}
        | {spec.name, spec.description}
    )


def test_extraction_finds_the_app_texts() -> None:
    assert {
        "Consumption per piece",
        "Register rolled over",
        "no such meter: %(code)s",
        "give the old meter's final reading",
        "a number is expected here",
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
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for text in strings:
                assert placeholders(str(ids[0])) == placeholders(str(text)), message.id
            checked += 1
    assert checked > 150
