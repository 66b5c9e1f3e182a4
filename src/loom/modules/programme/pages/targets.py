"""Pages of the programme console: targets."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
