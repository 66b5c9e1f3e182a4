"""JSON API of the programme console (mounted at /api/v1/programme)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["programme"])

__all__ = ["router"]
