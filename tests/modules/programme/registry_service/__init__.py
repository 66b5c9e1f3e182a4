"""Tests of the enterprise registry's service, API and pages; shared helpers live here."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

import loom.modules.programme
from loom.kernel.audit.models import AuditEvent
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import OrgKind, Role
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.i18n import Catalogues
from loom.kernel.web.templating import KERNEL_TRANSLATIONS
from loom.testing.factory import Factory, OrgRef
from tests.modules.programme.registry import HEADERS, code, good_values, workbook

API = "/api/v1/programme/registry"
PAGES = "/apps/programme/registry"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CATALOGUES = Catalogues(
    [KERNEL_TRANSLATIONS, Path(loom.modules.programme.__file__).parent / "translations"]
)

__all__ = ["HEADERS", "code", "good_values", "workbook"]


def zh(msgid: str, **params: Any) -> str:
    """Return the Chinese text of ``msgid``; a missing translation fails the test."""
    text = CATALOGUES.gettext("zh_CN", msgid)
    assert text != msgid, f"no zh_CN translation for {msgid!r}"
    return text % params if params else text


def bureau(
    factory: Factory, slug: str = "haishu", user: str = "chief", role: Role = Role.MANAGER
) -> tuple[OrgRef, TestClient]:
    """Create a bureau with one user and return it with the user's logged-in client."""
    org = factory.org(slug, OrgKind.BUREAU, name=f"{slug} 经信局")
    factory.user(user, (org, role))
    return org, factory.client(user)


def body(n: int, **changes: Any) -> dict[str, Any]:
    """The API body of enterprise ``n``: the same enterprise as the sheet's ``good_values(n)``."""
    data: dict[str, Any] = {
        "name": f"宁波第{n}服饰有限公司",
        "credit_code": code(n),
        "sector": "apparel",
        "sub_sector": "针织运动服",
        "size": "above",
        "town": "集士港镇",
        "employees": 100 + n,
        "revenue_wan": str(Decimal("2500.50") + n),
        "cloud": True,
        "contact_name": "李四",
        "contact_phone": "13805740000",
    }
    data.update(changes)
    return data


def add(client: TestClient, n: int, **changes: Any) -> dict[str, Any]:
    """Create enterprise ``n`` through the API and return it."""
    response = client.post(API, json=body(n, **changes))
    assert response.status_code == 201, response.text
    return dict(response.json())


def upload(client: TestClient, data: bytes, url: str = f"{API}/import") -> Any:
    """Post ``data`` as the uploaded sheet."""
    return client.post(url, files={"file": ("企业名录.xlsx", data, XLSX)})


def sheet_rows(data: bytes) -> list[tuple[object, ...]]:
    """Return the first worksheet's rows of ``data`` as values."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]


@contextmanager
def as_bureau(factory: Factory, org: OrgRef) -> Iterator[tuple[Session, Scope]]:
    """A committed session acting for ``org`` with every permission (as the CLI does)."""
    with session_scope(factory.runtime.session_factory) as session:
        yield session, system_scope(org.id, org.kind, "test")


def audit_actions(factory: Factory, org: OrgRef) -> list[str]:
    """Return the programme's audit actions in ``org``'s chain, oldest first."""
    with session_scope(factory.runtime.session_factory) as session:
        stmt = select(AuditEvent.action).where(
            AuditEvent.org_id == org.id, AuditEvent.action.startswith("programme.")
        )
        return list(session.scalars(stmt.order_by(AuditEvent.seq)))
