"""HTML pages of the programme console (Loom mounts them at /apps/programme)."""

from __future__ import annotations

from fastapi import APIRouter

from loom.modules.programme.pages import (
    analytics,
    catalogue,
    needs,
    plan,
    projects,
    registry,
    selection,
    showcase,
    targets,
)

pages = APIRouter(include_in_schema=False)
# one router per part of the console; each keeps to its own path prefix
for module in (
    targets,
    plan,
    registry,
    selection,
    needs,
    projects,
    catalogue,
    analytics,
    showcase,
):
    pages.include_router(module.router)

__all__ = ["pages"]
