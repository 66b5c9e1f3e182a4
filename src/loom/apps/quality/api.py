"""JSON API of the app."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
