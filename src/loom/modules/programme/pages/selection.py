"""Pages of the programme console: selection."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
