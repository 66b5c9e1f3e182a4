"""The shop floor's app-level texts, ingest and quarantine messages all have their Chinese."""

from __future__ import annotations

from pathlib import Path

import loom.kernel.web
from loom.kernel.web.i18n import Catalogues
from loom.modules.shopfloor.app import HERE, spec
from loom.modules.shopfloor.service import quarantine
from loom.testing.i18n import code_msgids

KERNEL = Path(loom.kernel.web.__file__).parent / "translations"


def test_every_ingest_and_app_text_is_translated() -> None:
    """Permissions, navigation, the app's name, raised errors and quarantine refusals."""
    wanted = (
        code_msgids(
            [
                HERE / "service" / "quarantine.py",
                HERE / "service" / "ingest.py",
                HERE / "api" / "events.py",
            ]
        )
        | {p.description for p in spec.permissions}
        | {item.label for item in spec.nav}
        | {spec.name, spec.description, "the body is larger than %(max)s bytes"}
        | {message for _field, message in quarantine._REFUSALS.values()}
    )
    catalogues = Catalogues([KERNEL, HERE / "translations"])
    missing = sorted(m for m in wanted if catalogues.gettext("zh_CN", m) == m)
    assert missing == []
    assert len(wanted) >= 25
