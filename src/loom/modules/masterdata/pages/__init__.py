"""HTML pages of the garment master data (Loom mounts them at /apps/masterdata)."""

from __future__ import annotations

from fastapi import APIRouter

from loom.modules.masterdata.pages import (
    line_plans,
    lines,
    machines,
    operations,
    operators,
    sheets,
    style_detail,
    styles,
)

pages = APIRouter(include_in_schema=False)
# one router per part; ids in paths are typed (`:int`), so no path of one shadows another's
for module in (styles, style_detail, operations, sheets, lines, line_plans, operators, machines):
    pages.include_router(module.router)

__all__ = ["pages"]
