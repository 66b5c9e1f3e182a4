"""Walk every route of an assembled app as another organisation and look for leaked markers.

The generated leak test (tests/kernel/test_generated_leak.py) drives this: it fills each route's
path parameters with organisation A's ids, calls the route as organisation B and checks the
status and that no body (HTML, JSON or the cell text of a workbook) contains A's markers.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from fastapi import FastAPI
from openpyxl import load_workbook
from sqlalchemy import ColumnElement, Table, not_, select
from sqlalchemy.orm import Session

from loom.kernel.authz.routes import walk_routes
from loom.kernel.db.base import Base

PARAM = re.compile(r"\{([a-z_]+)(?::[a-z]+)?\}")
XLSX_MAGIC = b"PK\x03\x04"  # a workbook is a zip file
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Route:
    """One method of one route of the app."""

    method: str
    path: str
    permission: str | None

    @property
    def params(self) -> tuple[str, ...]:
        """Return the names of the path parameters, in order."""
        return tuple(PARAM.findall(self.path))

    def fill(self, value_of: Callable[[str], object]) -> str:
        """Return the URL with each parameter replaced by ``value_of(name)``."""
        return PARAM.sub(lambda m: str(value_of(m.group(1))), self.path)


def app_routes(app: FastAPI) -> list[Route]:
    """Return every method of every non-mount route (HEAD left out: it mirrors a GET)."""
    found = [
        Route(method, info.path, info.permission)
        for info in walk_routes(app.routes)
        if not info.is_mount
        for method in info.methods
        if method != "HEAD"
    ]
    # every GET first, so that a leak is seen before an unsafe call could have changed anything
    return sorted(found, key=lambda r: (r.method != "GET", r.path, r.method))


def body_text(content: bytes, content_type: str = "") -> str:
    """Return the text a reader would see: cell values of a workbook, every file of another
    zip (an organisation export), else the decoded body."""
    if not content.startswith(XLSX_MAGIC):
        return content.decode("utf-8", errors="replace")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        if "[Content_Types].xml" not in names:
            return "\n".join(body_text(archive.read(n)) for n in names)
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    cells = [
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    book.close()
    return "\n".join(cells)


def markers_in(text: str, markers: Iterable[str]) -> list[str]:
    """Return the markers that occur in ``text`` (JSON escapes of non-ASCII decoded first)."""
    if "\\u" in text:
        # a JSON body may escape CJK characters; compare the readable form too
        text += "\n" + text.encode("latin-1", errors="ignore").decode("unicode_escape", "ignore")
    return sorted(m for m in markers if m in text)


def tenant_tables() -> list[Table]:
    """Return every mapped table that carries an ``org_id`` column."""
    return sorted(
        (t for t in Base.metadata.tables.values() if "org_id" in t.c), key=lambda t: t.name
    )


def rows_digest(
    session: Session,
    org_ids: Iterable[int],
    ignore: Mapping[str, ColumnElement[bool]] | None = None,
) -> dict[str, str]:
    """Return a digest of every row the organisations own, per table (to prove nothing changed).

    ``ignore`` names, per table, rows left out: those another organisation may add on purpose.
    """
    ids = list(org_ids)
    digests: dict[str, str] = {}
    for table in tenant_tables():
        query = select(table).where(table.c.org_id.in_(ids))
        if ignore and table.name in ignore:
            query = query.where(not_(ignore[table.name]))
        key = list(table.primary_key.columns) or list(table.c)
        rows = session.execute(query.order_by(*key).execution_options(loom_all_tenants=True)).all()
        digests[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return digests


def request_schemas(app: FastAPI) -> dict[tuple[str, str], dict[str, Any]]:
    """Return the JSON body schema of each API route by (method, path), refs resolved lazily."""
    spec = app.openapi()
    components = spec.get("components", {}).get("schemas", {})
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for path, operations in spec.get("paths", {}).items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            if schema is not None:
                found[(method.upper(), path)] = {"schema": schema, "components": components}
    return found


def openapi_path(path: str) -> str:
    """Return ``path`` as the API description spells it (no ``:int`` converters)."""
    return re.sub(r"\{(\w+):\w+\}", r"{\1}", path)


def minimal_value(schema: dict[str, Any], components: dict[str, Any], depth: int = 0) -> Any:
    """Return the smallest value that should pass ``schema``: required fields only.

    A valid body lets the handler run far enough to look the addressed row up; a value the
    schema's finer rules still refuse only costs a 422.
    """
    if "$ref" in schema:
        return minimal_value(components[schema["$ref"].rsplit("/", 1)[1]], components, depth)
    if depth > 6:
        return None
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return minimal_value(options[0], components, depth + 1)
    if "default" in schema:
        return schema["default"]
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type", "object")
    if kind == "object":
        properties = schema.get("properties", {})
        return {
            name: minimal_value(properties.get(name, {}), components, depth + 1)
            for name in schema.get("required", [])
        }
    if kind == "array":
        count = int(schema.get("minItems", 0))
        return [minimal_value(schema.get("items", {}), components, depth + 1)] * count
    if kind == "string":
        return _minimal_string(schema)
    if kind in ("integer", "number"):
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "boolean":
        return False
    return None


def _minimal_string(schema: dict[str, Any]) -> str:
    fmt = schema.get("format", "")
    if fmt == "date":
        return date.today().isoformat()
    if fmt == "date-time":
        return datetime.now(UTC).isoformat()
    if fmt == "decimal" or ("pattern" in schema and "\\d" in schema["pattern"]):
        return "1"
    return "x" * max(int(schema.get("minLength", 1)), 1)
