"""HTML pages of production scheduling: one router composed of the parts' routers."""

from __future__ import annotations

from fastapi import APIRouter

from loom.apps.scheduling.pages import milestones, plans

pages = APIRouter()
pages.include_router(plans.router)
pages.include_router(milestones.router)
