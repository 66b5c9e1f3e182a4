"""Pages of shop-floor execution: one router composed of the parts' routers."""

from __future__ import annotations

from fastapi import APIRouter

from loom.modules.shopfloor.pages import dashboard, orders, pay, quarantine

pages = APIRouter()
pages.include_router(orders.router)
pages.include_router(dashboard.router)
pages.include_router(pay.router)
pages.include_router(quarantine.router)
