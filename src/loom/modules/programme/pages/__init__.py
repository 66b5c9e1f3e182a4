"""HTML pages of the programme console (Loom mounts them at /apps/programme)."""

from __future__ import annotations

from fastapi import APIRouter

pages = APIRouter(include_in_schema=False)

__all__ = ["pages"]
