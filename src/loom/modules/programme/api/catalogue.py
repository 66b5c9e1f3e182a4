"""JSON API of the programme console: catalogue."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
