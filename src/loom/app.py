"""The composition root: build the FastAPI application from settings and installed apps."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from loom import __version__
from loom.kernel.audit.api import pages as audit_pages
from loom.kernel.audit.api import router as audit_api
from loom.kernel.authz.guard import AppEnabled
from loom.kernel.bootstrap import build_runtime
from loom.kernel.identity.api import router as identity_api
from loom.kernel.identity.pages import router as identity_pages
from loom.kernel.plugins.api import pages as apps_pages
from loom.kernel.plugins.api import router as apps_api
from loom.kernel.plugins.spec import AppSpec
from loom.kernel.portability.api import router as portability_api
from loom.kernel.tenancy.api import pages as members_pages
from loom.kernel.tenancy.api import router as members_api
from loom.kernel.web.admission import Admission
from loom.kernel.web.errors import install_error_handlers
from loom.kernel.web.ingest import ingest_router
from loom.kernel.web.metrics import install_metrics
from loom.kernel.web.middleware import install_middleware
from loom.kernel.web.openapi import install_openapi
from loom.kernel.web.pages import health_router
from loom.kernel.web.pages import router as shell_pages
from loom.kernel.web.routing import PrefixRouter, gated
from loom.kernel.web.templating import build_shell
from loom.settings import Settings

API_PREFIX = "/api/v1"
STATIC_DIR = Path(__file__).parent / "kernel" / "web" / "static"


def create_app(settings: Settings | None = None, apps: Iterable[AppSpec] | None = None) -> FastAPI:
    """Build the application; engines are created here, never at import time."""
    settings = settings or Settings()
    runtime = build_runtime(settings, apps)
    app = FastAPI(
        title="Loom",
        version=__version__,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    app.state.loom = runtime
    app.state.shell = build_shell(runtime.apps)
    # innermost of the middleware: a refused request still gets the shell's headers
    app.add_middleware(
        Admission,
        limit=min(settings.request_concurrency, settings.db_pool_size + settings.db_max_overflow),
        wait=settings.request_queue_seconds,
    )
    install_middleware(app, secure_cookies=settings.cookie_secure)
    install_error_handlers(app)
    install_openapi(app)
    # after install_middleware: outermost, so the timing covers the shell middleware too
    install_metrics(app, settings.metrics_token)

    # every router behind a gate on its prefix: see loom.kernel.web.routing
    api = PrefixRouter(API_PREFIX, prefix=API_PREFIX)
    for router in (health_router, identity_api, audit_api, apps_api, members_api, portability_api):
        api.include_router(router)
    # apps' device streams: one route per ingest channel, guarded by its own permission
    api.include_router(ingest_router(runtime.apps.values()))
    for spec in runtime.apps.values():
        if spec.api_router is not None:
            api.include_router(
                gated(
                    spec.api_router,
                    f"{API_PREFIX}/{spec.slug}",
                    prefix=f"/{spec.slug}",
                    dependencies=[Depends(AppEnabled(spec.slug))],
                )
            )
    app.include_router(api)
    # the kernel's pages share no prefix: a gate on "" takes every path, for its match memo
    kernel_pages = PrefixRouter("")
    for router in (identity_pages, shell_pages, audit_pages, apps_pages, members_pages):
        kernel_pages.include_router(router)
    app.include_router(kernel_pages)
    for spec in runtime.apps.values():
        if spec.pages_router is not None:
            app.include_router(
                gated(
                    spec.pages_router,
                    f"/apps/{spec.slug}",
                    dependencies=[Depends(AppEnabled(spec.slug))],
                    include_in_schema=False,  # pages are not API, whatever the app's router says
                )
            )
    for spec in runtime.apps.values():
        if spec.static_dir is not None:
            # mounted before /static so the more specific prefix wins
            app.mount(
                f"/static/apps/{spec.slug}",
                StaticFiles(directory=spec.static_dir),
                name=f"static-{spec.slug}",
            )
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
