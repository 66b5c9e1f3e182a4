"""JSON API of shop-floor execution: one router composed of the parts' routers."""

from __future__ import annotations

from fastapi import APIRouter

from loom.modules.shopfloor.api import events, figures, orders, quarantine

router = APIRouter()
router.include_router(orders.router)
router.include_router(events.router)
router.include_router(figures.router)
router.include_router(quarantine.router)
