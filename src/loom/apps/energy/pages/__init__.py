"""HTML pages of the energy app (Loom mounts them at /apps/energy)."""

from __future__ import annotations

from fastapi import APIRouter

from loom.apps.energy.pages import dashboard, meters, r1, readings, revenue

pages = APIRouter(include_in_schema=False)
for module in (dashboard, meters, readings, revenue, r1):
    pages.include_router(module.router)

__all__ = ["pages"]
