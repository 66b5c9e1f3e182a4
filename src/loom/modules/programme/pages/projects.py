"""Pages of the programme console: projects."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
