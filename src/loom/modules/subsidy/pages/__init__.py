"""HTML pages of the subsidy module (Loom mounts them at /apps/subsidy)."""

from __future__ import annotations

from fastapi import APIRouter

from loom.modules.subsidy.pages import awards, ledger, quote

pages = APIRouter(include_in_schema=False)
for module in (ledger, quote, awards):
    pages.include_router(module.router)

__all__ = ["pages"]
