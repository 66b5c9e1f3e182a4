"""A seeded application and one API token per organisation kind, shared by the fuzz run."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI

from loom.app import API_PREFIX, create_app
from loom.demo.accounts import bound
from loom.demo.small import seed_demo
from loom.kernel.authz.guard import system_scope
from loom.kernel.authz.routes import walk_routes
from loom.kernel.db.session import session_scope
from loom.kernel.plugins.enablement import set_enabled
from loom.kernel.plugins.spec import AppSpec
from loom.kernel.tenancy.models import Organisation, OrgKind
from loom.kernel.web.openapi import documented_path
from loom.settings import Settings
from loom.testing.databases import fresh_sqlite
from loom.testing.factory import Factory, OrgRef

# The enterprise first: most operations are the factory's, and its seed has the most rows.
KIND_ORDER = (OrgKind.ENTERPRISE, OrgKind.BUREAU, OrgKind.CONTRACTOR, OrgKind.ASSESSOR)


@dataclass(frozen=True)
class FuzzWorld:
    """The app under fuzzing, the bearer token of each org kind and whom each route suits."""

    app: FastAPI
    tokens: dict[OrgKind, str]
    permission_of: dict[tuple[str, str], str | None]
    kinds_of_permission: dict[str, frozenset[OrgKind]]

    def token_for(self, method: str, path: str) -> str:
        """Return the token of the first org kind that may call ``method path``."""
        permission = self.permission_of.get((method.upper(), path))
        fits = self.kinds_of_permission.get(permission or "", frozenset(KIND_ORDER))
        kind = next(k for k in KIND_ORDER if k in fits)
        return self.tokens[kind]


def _seed(app: FastAPI, apps: list[AppSpec]) -> dict[OrgKind, OrgRef]:
    """Seed the small demo, turn on every app each organisation may use, return one per kind."""
    runtime = app.state.loom
    chosen: dict[OrgKind, OrgRef] = {}
    with session_scope(runtime.session_factory) as session:
        seed_demo(session, secret_key=runtime.settings.secret_key)
        for org in session.query(Organisation).order_by(Organisation.id):
            if org.kind in chosen:
                continue
            chosen[org.kind] = OrgRef(org.id, org.slug, org.kind)
            with bound(session, system_scope(org.id, org.kind, "fuzz")) as scope:
                for spec in apps:
                    if org.kind in spec.org_kinds:
                        set_enabled(session, scope, org, spec, True)
    return chosen


@pytest.fixture(scope="module")
def fuzz_world(
    tmp_path_factory: pytest.TempPathFactory,
    loom_apps: list[AppSpec],
    loom_sqlite_template: Path,
) -> Iterator[FuzzWorld]:
    """Build the app once for the module: a throwaway SQLite database the fuzzer may mutate."""
    root = tmp_path_factory.mktemp("fuzz")
    settings = Settings(
        env="test",
        database_url=fresh_sqlite(loom_sqlite_template, root),
        data_dir=root / "data",
        secret_key=secrets.token_urlsafe(48),
    )
    app = create_app(settings, loom_apps)
    orgs = _seed(app, loom_apps)
    registry = app.state.loom.registry
    factory = Factory(app)
    tokens = {
        kind: factory.token(ref, [p.name for p in registry.all() if kind in p.org_kinds])
        for kind, ref in orgs.items()
    }
    permission_of = {
        (method, documented_path(info.path)): info.permission
        for info in walk_routes(app.routes)
        if info.path.startswith(API_PREFIX)
        for method in info.methods
    }
    kinds = {p.name: p.org_kinds for p in registry.all()}
    yield FuzzWorld(app, tokens, permission_of, kinds)
    app.state.loom.engine.dispose()


@pytest.fixture(scope="module")
def fuzz_schema(fuzz_world: FuzzWorld) -> schemathesis.BaseSchema:
    """Load the API description from the assembled app, as a client would."""
    return schemathesis.openapi.from_asgi(f"{API_PREFIX}/openapi.json", fuzz_world.app)
