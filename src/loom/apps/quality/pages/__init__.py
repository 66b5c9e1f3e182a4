"""HTML pages of the app: one router composed of the parts' routers."""

from __future__ import annotations

from fastapi import APIRouter

from loom.apps.quality.pages import aql, catalogue, figures, inspections

pages = APIRouter()
pages.include_router(inspections.router)
pages.include_router(aql.router)
pages.include_router(figures.router)
pages.include_router(catalogue.router)
