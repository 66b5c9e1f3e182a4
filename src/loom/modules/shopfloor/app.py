"""Shop-floor execution's manifest: registered through ``loom.apps`` like any other app."""

from __future__ import annotations

from pathlib import Path

from loom import __version__
from loom.kernel.plugins.spec import AppSpec, NavItem
from loom.kernel.tenancy.models import OrgKind
from loom.modules.shopfloor.permissions import PERMISSIONS

HERE = Path(__file__).parent


def _spec() -> AppSpec:
    from loom.modules.shopfloor.api import router
    from loom.modules.shopfloor.cli import cli
    from loom.modules.shopfloor.pages import pages
    from loom.modules.shopfloor.service.brain_metrics import BRAIN_METRICS

    return AppSpec(
        slug="shopfloor",
        name="Shop floor",
        version=__version__,
        requires_core=f"=={__version__}",
        description="Production orders, cutting and bundle tickets, scans, WIP and piece-rate pay",
        dependencies=("masterdata",),
        permissions=PERMISSIONS,
        api_router=router,
        pages_router=pages,
        templates_dir=HERE / "templates",
        translations_dir=HERE / "translations",
        nav=(
            NavItem("Orders", "/apps/shopfloor/orders", "shopfloor.order.read"),
            NavItem("Line dashboard", "/apps/shopfloor/lines", "shopfloor.event.read"),
            NavItem("Piece-rate pay", "/apps/shopfloor/pay", "shopfloor.pay.read"),
            NavItem("Quarantined scans", "/apps/shopfloor/quarantine", "shopfloor.quarantine.read"),
        ),
        brain_metrics=BRAIN_METRICS,
        cli=cli,
        cli_name="shopfloor",
        migrations_dir=HERE / "migrations",
        models_module="loom.modules.shopfloor.models",
        org_kinds=frozenset({OrgKind.ENTERPRISE}),
        builtin=True,
    )


spec = _spec()
