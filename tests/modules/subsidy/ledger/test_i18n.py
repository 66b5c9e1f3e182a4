"""Subsidy catalogues: complete in Chinese, faithful placeholders, nothing stale."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import loom.modules.subsidy
from loom.kernel.web.i18n import Catalogues
from loom.modules.subsidy.app import HERE, spec
from loom.modules.subsidy.service.awards import CAP_PASSED, CAP_USED_UP, NOT_ELIGIBLE
from loom.testing.i18n import placeholder_mismatches
from tests.kernel.web.test_i18n import CJK

MODULE_SRC = Path(loom.modules.subsidy.__file__).parent
TRANSLATIONS = HERE / "translations"
ERROR_CLASSES = {"NotFound", "Conflict", "ValidationFailed", "PermissionDenied"}
# Python files whose raised messages or msgid() calls reach the pages
SOURCES = ("pages", "service")
# refusals whose template is chosen at run time, so no call has it as a literal
CHOSEN = {CAP_PASSED, CAP_USED_UP, NOT_ELIGIBLE}


def template_msgids() -> set[str]:
    """Return every literal msgid of ``_()`` calls in the module's templates."""
    found: set[str] = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(HERE / "templates"),
        method_map=[("**.html", "jinja2.ext:babel_extract")],
        options_map={"**.html": {"trim_blocks": "true", "lstrip_blocks": "true"}},
    ):
        found.update([message] if isinstance(message, str) else [m for m in message if m])
    return found


def _literals(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        first = node.args[0]
        wanted = name in ERROR_CLASSES or name in {"msgid", "gettext"}
        if wanted and isinstance(first, ast.Constant) and isinstance(first.value, str):
            yield first.value


def code_msgids() -> set[str]:
    """Return msgid() markers, gettext() literals and raised messages of pages and services."""
    found: set[str] = set()
    for folder in SOURCES:
        for path in (MODULE_SRC / folder).rglob("*.py"):
            found.update(_literals(ast.parse(path.read_text(encoding="utf-8"))))
    return found


def module_msgids() -> set[str]:
    """Return everything the subsidy pages pass through ``_()``."""
    return (
        template_msgids()
        | code_msgids()
        | CHOSEN
        | {item.label for item in spec.nav}
        | {perm.description for perm in spec.permissions}
        | {spec.name, spec.description}
    )


@pytest.fixture(scope="module")
def catalogues() -> Catalogues:
    return Catalogues([TRANSLATIONS])


def test_extraction_finds_the_pages_texts() -> None:
    assert {"Subsidy ledger", "Quote an award", "Split between funders"} <= template_msgids()
    assert {"Cap per provider", "reason: say why the award is cancelled"} <= code_msgids()
    assert len(module_msgids()) > 150


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
    po = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    assert dict(catalog.mime_headers)["Language"] == locale
    assert placeholder_mismatches(catalog) == []


def test_no_stale_entries() -> None:
    po = TRANSLATIONS / "zh_CN" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="zh_CN")
    used = module_msgids()
    stale = sorted(str(m.id) for m in catalog if m.id and m.id not in used)
    assert stale == [], f"catalogue entries no page uses: {stale}"


def test_english_falls_back_to_the_msgids(catalogues: Catalogues) -> None:
    assert catalogues.known("en") == set()
    assert catalogues.gettext("en", "Cap per provider") == "Cap per provider"
    assert catalogues.gettext("zh_CN", "Cap per provider") == "每个服务商上限"
