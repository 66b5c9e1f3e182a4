"""The AppSpec contract: discovery, validation, and the CLI that lists and checks apps."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from fastapi import APIRouter

from loom.kernel.authz.guard import require
from loom.kernel.authz.registry import Permission
from loom.kernel.plugins.loader import AppLoadError, check_spec, discover, load_apps
from loom.kernel.plugins.spec import AppSpec, NavItem
from loom.kernel.tenancy.scope import Scope
from tests.conftest import RunCli


def _router(guarded: bool) -> APIRouter:
    router = APIRouter()
    if guarded:

        @router.get("/things")
        def things(scope: Scope = require("demoapp.thing.read")) -> list[str]:
            """List nothing."""
            return []
    else:

        @router.get("/open")
        def open_route() -> list[str]:
            """Forget the guard."""
            return []

    return router


GOOD = AppSpec(
    slug="demoapp",
    name="Demo",
    version="1.2.3",
    requires_core=">=0.1",
    permissions=(Permission("demoapp.thing.read", "Read things"),),
    api_router=_router(guarded=True),
    nav=(NavItem("Things", "/apps/demoapp/", "demoapp.thing.read"),),
)


def test_a_good_spec_has_no_problems() -> None:
    assert check_spec(GOOD, ["demoapp"]) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"slug": "Bad Slug"}, "slug 'Bad Slug'"),
        ({"version": "one"}, "not a PEP 440 version"),
        ({"requires_core": ">=9"}, "needs Loom core >=9"),
        ({"requires_core": "whatever"}, "not a version specifier"),
        ({"dependencies": ("ghost",)}, "depends on 'ghost'"),
        ({"permissions": (Permission("other.thing.read", "x"),)}, "must start with 'demoapp.'"),
        ({"api_router": _router(guarded=False)}, "/open declares no permission"),
        ({"nav": (NavItem("X", "/x", "nobody.knows"),)}, "unknown permission 'nobody.knows'"),
        ({"templates_dir": Path("/no/such/dir")}, "templates_dir /no/such/dir does not exist"),
        ({"models_module": "no_such_module_xyz"}, "cannot be imported"),
    ],
)
def test_each_broken_field_is_reported(change: dict[str, object], problem: str) -> None:
    spec = dataclasses.replace(GOOD, **change)  # type: ignore[arg-type]
    problems = check_spec(spec, [spec.slug])
    assert any(problem in p for p in problems), problems


def test_loading_refuses_invalid_and_duplicate_apps() -> None:
    broken = dataclasses.replace(GOOD, api_router=_router(guarded=False))
    with pytest.raises(AppLoadError, match="declares no permission"):
        load_apps([broken])
    with pytest.raises(AppLoadError, match="several apps use the slug"):
        load_apps([GOOD, GOOD])
    assert list(load_apps([GOOD])) == ["demoapp"]


def test_the_example_x_app_is_discovered_through_entry_points() -> None:
    specs = {s.slug: s for s in discover()}
    assert "subcontract" in specs
    assert specs["subcontract"].builtin is False


def test_cli_lists_and_checks_installed_apps(run_cli: RunCli) -> None:
    listed = run_cli("apps", "list")
    assert listed.exit_code == 0
    assert "subcontract" in listed.output
    assert "third-party" in listed.output
    checked = run_cli("apps", "check")
    assert checked.exit_code == 0, checked.output
    assert "subcontract: ok" in checked.output
