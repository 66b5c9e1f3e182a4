"""One assembled application per worker, re-pointed at each test's runtime instead of rebuilt.

``create_app`` spends about a second of CPU in FastAPI's route analysis (some 990 routes, their
dependencies and models), the same work for every test. Nothing in the route tree depends on the
database, data directory or secret: handlers and middleware read ``request.app.state.loom``. So
the first build for a given set of apps and remaining settings is kept, and each later test gets
that app back with a fresh runtime (its own engine, settings, permission registry and throttle)
and everything a test may have changed put back: routes, middleware, exception handlers,
dependency overrides and state. The OpenAPI description, built on first request from the routes
alone, is kept while the routes are the ones ``create_app`` made.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from starlette.datastructures import State
from starlette.middleware import Middleware
from starlette.routing import BaseRoute

from loom.app import create_app
from loom.kernel.bootstrap import build_runtime
from loom.kernel.plugins.spec import AppSpec
from loom.settings import Settings

#: the settings each test sets for itself; the route tree reads none of them
PER_TEST_FIELDS = frozenset({"database_url", "data_dir", "secret_key"})


@dataclass(frozen=True)
class _Built:
    """An app as ``create_app`` left it, with copies of what tests may change."""

    app: FastAPI
    apps: tuple[AppSpec, ...]
    routes: tuple[BaseRoute, ...]
    middleware: tuple[Middleware, ...]
    handlers: dict[Any, Any]
    web_shell: object


_built: dict[str, _Built] = {}


def _key(settings: Settings) -> str:
    shared = settings.model_dump(exclude=set(PER_TEST_FIELDS))
    return repr(sorted(shared.items()))


def app_for_test(settings: Settings, apps: Iterable[AppSpec]) -> FastAPI:
    """Return the application for ``settings`` and ``apps``, as ``create_app`` would build it."""
    specs = tuple(apps)
    key = _key(settings)
    found = _built.get(key)
    # the same spec objects, not only the same slugs: a test may bring its own fake app
    if (
        found is None
        or len(found.apps) != len(specs)
        or any(a is not b for a, b in zip(found.apps, specs, strict=True))
    ):
        app = create_app(settings, specs)
        _built[key] = _Built(
            app=app,
            apps=specs,
            routes=tuple(app.router.routes),
            middleware=tuple(app.user_middleware),
            handlers=dict(app.exception_handlers),
            web_shell=app.state.shell,
        )
        return app
    app = found.app
    if tuple(app.router.routes) != found.routes:
        # the last test added routes: the description it may have cached shows them
        app.openapi_schema = None
    app.router.routes[:] = found.routes
    app.user_middleware[:] = found.middleware
    app.exception_handlers.clear()
    app.exception_handlers.update(found.handlers)
    app.dependency_overrides.clear()
    app.middleware_stack = None  # rebuilt on the first request: no middleware instance is reused
    app.state = State()
    app.state.loom = build_runtime(settings, specs)
    # templates and catalogues depend on the apps only; compiled templates stay cached
    app.state.shell = found.web_shell
    return app
