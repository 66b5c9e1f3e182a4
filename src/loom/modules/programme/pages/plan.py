"""Pages of the programme console: plan."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
