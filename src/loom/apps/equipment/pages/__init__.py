"""HTML pages of equipment management: one router composed of the parts' routers."""

from __future__ import annotations

from fastapi import APIRouter

from loom.apps.equipment.pages import maintenance, telemetry

pages = APIRouter()
pages.include_router(telemetry.router)
pages.include_router(maintenance.router)
