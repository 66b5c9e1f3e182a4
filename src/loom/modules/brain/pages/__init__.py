"""HTML pages of the industry brain (Loom mounts them at /apps/brain)."""

from __future__ import annotations

from fastapi import APIRouter

from loom.modules.brain.pages import capacity, indices, sharing

pages = APIRouter(include_in_schema=False)
for module in (sharing, indices, capacity):
    pages.include_router(module.router)

__all__ = ["pages"]
