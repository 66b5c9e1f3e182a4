"""Discover apps through the ``loom.apps`` entry-point group and check their manifests."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from importlib.metadata import entry_points

from fastapi import APIRouter
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from loom import __version__ as core_version_default
from loom.kernel.authz.permissions import KERNEL_PERMISSIONS
from loom.kernel.authz.routes import RouteInfo, walk_routes
from loom.kernel.plugins.spec import SHARING_CATEGORIES, SLUG_PATTERN, AppSpec

GROUP = "loom.apps"


class AppLoadError(RuntimeError):
    """An installed app could not be loaded or its manifest is invalid."""


def discover(group: str = GROUP) -> list[AppSpec]:
    """Load every AppSpec registered in the entry-point group, sorted by slug."""
    specs: list[AppSpec] = []
    for ep in entry_points(group=group):
        try:
            loaded = ep.load()
        except Exception as exc:
            raise AppLoadError(
                f"entry point {ep.name!r} ({ep.value}) failed to import: {exc}"
            ) from exc
        spec = loaded() if callable(loaded) and not isinstance(loaded, AppSpec) else loaded
        if not isinstance(spec, AppSpec):
            raise AppLoadError(f"entry point {ep.name!r} did not give an AppSpec")
        if spec.slug != ep.name:
            raise AppLoadError(f"entry point {ep.name!r} gives an AppSpec with slug {spec.slug!r}")
        specs.append(spec)
    return sorted(specs, key=lambda s: s.slug)


def _routes(router: APIRouter | None) -> list[RouteInfo]:
    return [] if router is None else walk_routes(router.routes)


def check_spec(
    spec: AppSpec, installed: Iterable[str], core_version: str = core_version_default
) -> list[str]:
    """Return every problem with ``spec``; an empty list means it may be loaded."""
    problems: list[str] = []
    installed_slugs = set(installed)
    if not SLUG_PATTERN.match(spec.slug):
        problems.append(f"slug {spec.slug!r} must be 2-31 lower-case letters, digits or _")
    try:
        Version(spec.version)
    except InvalidVersion:
        problems.append(f"version {spec.version!r} is not a PEP 440 version")
    try:
        if not SpecifierSet(spec.requires_core).contains(core_version, prereleases=True):
            problems.append(f"needs Loom core {spec.requires_core}, this is {core_version}")
    except InvalidSpecifier:
        problems.append(f"requires_core {spec.requires_core!r} is not a version specifier")
    problems += [
        f"depends on {d!r}, which is not installed"
        for d in spec.dependencies
        if d not in installed_slugs
    ]
    own = {p.name for p in spec.permissions}
    problems += [
        f"permission {name!r} must start with '{spec.slug}.'"
        for name in sorted(own)
        if not name.startswith(spec.slug + ".")
    ]
    known = own | {p.name for p in KERNEL_PERMISSIONS}
    problems += [
        f"nav item {n.label!r} uses unknown permission {n.permission!r}"
        for n in spec.nav
        if n.permission not in known
    ]
    for route in [*_routes(spec.api_router), *_routes(spec.pages_router)]:
        perm = route.permission
        if perm is None:
            problems.append(f"route {list(route.methods)} {route.path} declares no permission")
        elif perm not in known:
            problems.append(f"route {route.path} uses unknown permission {perm!r}")
    for metric in spec.brain_metrics:
        if not metric.name.startswith(spec.slug + "."):
            problems.append(f"brain metric {metric.name!r} must start with '{spec.slug}.'")
        if metric.category not in SHARING_CATEGORIES:
            problems.append(
                f"brain metric {metric.name!r}: category {metric.category!r} is not one of "
                f"{', '.join(SHARING_CATEGORIES)}"
            )
    for label, path in (
        ("templates_dir", spec.templates_dir),
        ("static_dir", spec.static_dir),
        ("translations_dir", spec.translations_dir),
    ):
        if path is not None and not path.is_dir():
            problems.append(f"{label} {path} does not exist")
    if spec.migrations_dir is not None and not any(spec.migrations_dir.glob("*.py")):
        problems.append(f"migrations_dir {spec.migrations_dir} holds no migration")
    if spec.models_module is not None:
        try:
            importlib.import_module(spec.models_module)
        except ImportError as exc:
            problems.append(f"models_module {spec.models_module!r} cannot be imported: {exc}")
    if spec.settings_model is not None:
        try:
            spec.settings_model()
        except Exception as exc:
            problems.append(f"settings_model must work with defaults: {exc}")
    return problems


def load_apps(specs: Iterable[AppSpec]) -> dict[str, AppSpec]:
    """Check and import every spec; refuse to start with any invalid one."""
    specs = list(specs)
    slugs = [s.slug for s in specs]
    dupes = {s for s in slugs if slugs.count(s) > 1}
    if dupes:
        raise AppLoadError(f"several apps use the slug(s) {sorted(dupes)}")
    loaded: dict[str, AppSpec] = {}
    for spec in specs:
        problems = check_spec(spec, slugs)
        if problems:
            raise AppLoadError(f"app {spec.slug!r} is invalid: " + "; ".join(problems))
        if spec.on_load is not None:
            spec.on_load()
        loaded[spec.slug] = spec
    return loaded
