"""The assessment module's manifest: registered through ``loom.apps`` like any other app."""

from __future__ import annotations

from pathlib import Path

from loom import __version__
from loom.kernel.plugins.spec import AppSpec, NavItem
from loom.kernel.tenancy.models import OrgKind
from loom.modules.assessment.permissions import PERMISSIONS

HERE = Path(__file__).parent


def _spec() -> AppSpec:
    from loom.modules.assessment.api import router
    from loom.modules.assessment.cli import cli
    from loom.modules.assessment.pages import pages
    from loom.modules.assessment.service.brain_metrics import BRAIN_METRICS

    return AppSpec(
        slug="assessment",
        name="Digital-level assessment",
        version=__version__,
        requires_core=f"=={__version__}",
        description="The national SME digital-level index (2024): questionnaire, level, plan",
        permissions=PERMISSIONS,
        api_router=router,
        pages_router=pages,
        templates_dir=HERE / "templates",
        static_dir=HERE / "static",
        translations_dir=HERE / "translations",
        nav=(
            NavItem("Digital level", "/apps/assessment/", "assessment.assessment.read"),
            NavItem("Assessment rules", "/apps/assessment/rulesets", "assessment.ruleset.read"),
        ),
        brain_metrics=BRAIN_METRICS,
        cli=cli,
        cli_name="assess",
        migrations_dir=HERE / "migrations",
        models_module="loom.modules.assessment.models",
        org_kinds=frozenset({OrgKind.ENTERPRISE, OrgKind.ASSESSOR, OrgKind.BUREAU}),
        builtin=True,
    )


spec = _spec()
