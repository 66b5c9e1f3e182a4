"""JSON API of the programme console: needs."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
