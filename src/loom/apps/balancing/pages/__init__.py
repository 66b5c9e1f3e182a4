"""HTML pages of line balancing (Loom mounts them at /apps/balancing)."""

from __future__ import annotations

from fastapi import APIRouter

from loom.apps.balancing.pages import board, compare, plans, publish

pages = APIRouter(include_in_schema=False)
# compare first: its fixed path must not be read as a plan id (ids are typed `:int` anyway)
for module in (compare, plans, board, publish):
    pages.include_router(module.router)

__all__ = ["pages"]
