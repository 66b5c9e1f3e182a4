"""JSON API of production scheduling: one router composed of the parts' routers."""

from __future__ import annotations

from fastapi import APIRouter

from loom.apps.scheduling.api import milestones, plans

router = APIRouter()
router.include_router(plans.router)
router.include_router(milestones.router)
