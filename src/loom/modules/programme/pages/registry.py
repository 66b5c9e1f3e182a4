"""Pages of the programme console: registry."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
