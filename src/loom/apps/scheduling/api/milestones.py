"""JSON API of the scheduling app's milestones."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
