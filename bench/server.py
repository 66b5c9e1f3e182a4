"""ASGI factory for the request benchmark's uvicorn process: the kernel alone, from LOOM_* env."""

from __future__ import annotations

from fastapi import FastAPI

from loom.app import create_app
from loom.settings import Settings


def app() -> FastAPI:
    """Build the application from the environment with no apps installed."""
    return create_app(Settings(), [])
