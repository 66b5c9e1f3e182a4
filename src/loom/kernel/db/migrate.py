"""Programmatic Alembic: build the config from installed apps and upgrade every branch."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from loom.kernel.db.rls import enable_row_level_security
from loom.kernel.plugins.spec import AppSpec

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(apps: Iterable[AppSpec] = ()) -> Config:
    """Return an Alembic config whose version locations cover the kernel and every app."""
    apps = list(apps)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    locations = [str(MIGRATIONS / "versions")]
    locations += [str(s.migrations_dir) for s in apps if s.migrations_dir is not None]
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", os.pathsep.join(locations))
    cfg.attributes["models_modules"] = [s.models_module for s in apps if s.models_module]
    return cfg


def upgrade(engine: Engine, apps: Iterable[AppSpec] = (), target: str = "heads") -> None:
    """Upgrade every branch (kernel, modules, apps) to ``target`` on ``engine``."""
    cfg = alembic_config(apps)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, target)
        # derived from the models, not frozen in a revision: later apps' tables are covered too
        enable_row_level_security(connection)


def pending(engine: Engine, apps: Iterable[AppSpec] = ()) -> set[str]:
    """Return the revisions not yet applied, on any branch."""
    script = ScriptDirectory.from_config(alembic_config(apps))
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    # alembic_version keeps only heads; a branch that another depends on (the kernel) is
    # implied by its dependants, so compare against every ancestor of what is recorded.
    applied = (
        {rev.revision for rev in script.revision_map.iterate_revisions(current, "base") if rev}
        if current
        else set()
    )
    return {rev.revision for rev in script.walk_revisions()} - applied


def known_revision(apps: Iterable[AppSpec] = ()) -> Callable[[str], bool]:
    """Return a check: is a revision id one of the installed kernel's, modules' or apps'."""
    script = ScriptDirectory.from_config(alembic_config(apps))
    revisions = {rev.revision for rev in script.walk_revisions()}
    return revisions.__contains__
