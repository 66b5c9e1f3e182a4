"""Pages of the scheduling app's plans."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
