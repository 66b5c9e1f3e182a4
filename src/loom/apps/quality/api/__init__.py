"""JSON API of the quality app: one router composed of the parts' routers."""

from __future__ import annotations

from fastapi import APIRouter

from loom.apps.quality.api import aql, catalogue, inspections

router = APIRouter()
router.include_router(catalogue.router)
router.include_router(inspections.router)
router.include_router(aql.router)
