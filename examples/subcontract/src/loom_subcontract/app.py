"""The AppSpec Loom discovers through the ``loom.apps`` entry point."""

from __future__ import annotations

from pathlib import Path

from loom.kernel.plugins.spec import AppSpec, NavItem
from loom.kernel.tenancy.models import OrgKind
from loom_subcontract import SLUG, __version__
from loom_subcontract.api import router as api_router
from loom_subcontract.cli import cli
from loom_subcontract.evidence import purchase_evidence
from loom_subcontract.i18n import msgid
from loom_subcontract.pages import router as pages_router
from loom_subcontract.permissions import JOB_READ, PERMISSIONS
from loom_subcontract.schemas import SubcontractSettings

HERE = Path(__file__).parent

spec = AppSpec(
    slug=SLUG,
    name=msgid("Sub-contracting"),
    version=__version__,
    requires_core=">=0.1,<0.2",
    description=msgid("Track cut pieces sent to outside embroiderers, printers and washers."),
    permissions=PERMISSIONS,
    api_router=api_router,
    pages_router=pages_router,
    nav=(NavItem(msgid("Sub-contracting"), f"/apps/{SLUG}/", JOB_READ, "scissors"),),
    cli=cli,
    templates_dir=HERE / "templates",
    translations_dir=HERE / "translations",
    migrations_dir=HERE / "migrations",
    models_module="loom_subcontract.models",
    settings_model=SubcontractSettings,
    evidence_providers=(purchase_evidence,),
    org_kinds=frozenset({OrgKind.ENTERPRISE}),
    builtin=False,
)
