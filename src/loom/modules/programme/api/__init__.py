"""JSON API of the programme console (mounted at /api/v1/programme)."""

from __future__ import annotations

from fastapi import APIRouter

from loom.modules.programme.api import (
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

router = APIRouter(tags=["programme"])
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
    router.include_router(module.router)

__all__ = ["router"]
