"""HTML pages of order match-making (Loom mounts them at /apps/matching)."""

from __future__ import annotations

from fastapi import APIRouter

from loom.modules.matching.pages import export, invitations, orders

pages = APIRouter(include_in_schema=False)
for module in (orders, invitations, export):
    pages.include_router(module.router)

__all__ = ["pages"]
