"""The app keeps Loom's plug-in contract: manifest, permissions, catalogues and migration."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from fastapi import FastAPI

from loom.kernel.db.base import Base
from loom.kernel.plugins.loader import check_spec, discover
from loom.kernel.tenancy.models import OrgKind
from loom.testing.plugin import both_backends
from loom_subcontract.app import spec
from loom_subcontract.i18n import ENUM_MSGIDS
from loom_subcontract.models import JobStatus, ProcessKind

PACKAGE = Path(spec.templates_dir or ".").parent
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def test_installed_through_the_entry_point_and_valid() -> None:
    found = {s.slug: s for s in discover()}
    assert found["subcontract"] is spec
    assert check_spec(spec, list(found)) == []
    assert (spec.builtin, spec.version, spec.org_kinds) == (
        False,
        "0.1.0",
        frozenset({OrgKind.ENTERPRISE}),
    )
    assert [p.name for p in spec.permissions] == [
        "subcontract.job.read",
        "subcontract.job.write",
        "subcontract.job.delete",
    ]
    assert [(n.label, n.path, n.permission) for n in spec.nav] == [
        ("Sub-contracting", "/apps/subcontract/", "subcontract.job.read")
    ]


def _msgids() -> set[str]:
    found: set[str] = set()
    for template in sorted(PACKAGE.glob("templates/*.html")):
        found |= {str(m) for _, m, _, _ in extract_from_file("jinja2", str(template))}
    for module in sorted(PACKAGE.glob("*.py")):
        marked = extract_from_file("python", str(module), {"msgid": None})
        found |= {str(m) for _, m, _, _ in marked}
    return found


def _catalogue(locale: str) -> dict[str, str]:
    path = PACKAGE / "translations" / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle) if m.id and not m.fuzzy}


def test_every_msgid_has_chinese_and_english() -> None:
    msgids = _msgids()
    assert len(msgids) > 50  # the extraction itself works
    assert "Sub-contracting" in msgids
    assert "embroidery" in msgids
    zh, en = _catalogue("zh_CN"), _catalogue("en")
    assert sorted(m for m in msgids if not zh.get(m)) == []
    assert sorted(m for m in msgids if m not in en) == []
    assert zh["Sub-contracting"] == "外协加工"
    for message in msgids:
        assert sorted(PLACEHOLDER.findall(zh[message])) == sorted(PLACEHOLDER.findall(message))
        assert re.search(r"[\u4e00-\u9fff]", zh[message]), f"not Chinese: {zh[message]!r}"


def test_every_enum_value_is_a_msgid() -> None:
    values = {m.value for m in ProcessKind} | {m.value for m in JobStatus}
    assert values == set(ENUM_MSGIDS)


def _ours(diff: Any) -> bool:
    """Return whether an autogenerate difference touches one of this app's tables."""
    if isinstance(diff, list):
        return any(_ours(d) for d in diff)
    for part in diff:
        table = getattr(part, "table", None)
        name = getattr(part, "name", None) if table is None else table.name
        if isinstance(part, str) and part.startswith("subcontract_"):
            return True
        if isinstance(name, str) and name.startswith("subcontract_"):
            return True
    return False


@both_backends
def test_migration_creates_what_the_models_declare(loom_app: FastAPI) -> None:
    with loom_app.state.loom.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diffs = [d for d in compare_metadata(context, Base.metadata) if _ours(d)]
    assert diffs == []
