"""JSON API of equipment management: one router composed of the parts' routers."""

from __future__ import annotations

from fastapi import APIRouter

from loom.apps.equipment.api import maintenance, telemetry

router = APIRouter()
router.include_router(telemetry.router)
router.include_router(maintenance.router)
