"""JSON API of the equipment app's telemetry."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
