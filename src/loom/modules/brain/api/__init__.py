"""JSON API of the industry brain (Loom mounts it at /api/v1/brain)."""

from __future__ import annotations

from fastapi import APIRouter

from loom.modules.brain.api import figures, sharing

router = APIRouter()
for module in (sharing, figures):
    router.include_router(module.router)

__all__ = ["router"]
