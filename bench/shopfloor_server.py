"""ASGI factory for the shop-floor benchmarks' uvicorn process: every app, from LOOM_* env."""

from __future__ import annotations

from fastapi import FastAPI

from loom.app import create_app
from loom.kernel.plugins.loader import discover
from loom.settings import Settings


def app() -> FastAPI:
    """Build the application with every installed app, tuned as ``loom serve`` tunes it."""
    application = create_app(Settings(), discover())
    from loom import cli

    # The server's collector tuning (``loom serve`` applies it), when this Loom has it.
    tune_gc = getattr(cli, "tune_gc", None)
    if tune_gc is not None:
        tune_gc()
    return application
