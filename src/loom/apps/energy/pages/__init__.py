"""HTML pages of the app."""

from __future__ import annotations

from fastapi import APIRouter

pages = APIRouter()
