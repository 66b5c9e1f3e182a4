"""ASGI factory for the shop-floor benchmarks' uvicorn process (shop-floor apps, LOOM_* env)."""

from __future__ import annotations

from fastapi import FastAPI

from bench.shopfloor_common import shopfloor_apps
from loom.app import create_app
from loom.settings import Settings


def app() -> FastAPI:
    """Build the application with the shop-floor apps, tuned as ``loom serve`` tunes it."""
    application = create_app(Settings(), shopfloor_apps())
    from loom import cli

    # The server's collector tuning (``loom serve`` applies it), when this Loom has it.
    tune_gc = getattr(cli, "tune_gc", None)
    if tune_gc is not None:
        tune_gc()
    return application
