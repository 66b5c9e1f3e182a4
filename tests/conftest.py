"""Shared fixtures for Loom's own tests (the reusable ones live in loom.testing)."""

from __future__ import annotations

import pytest

from loom.testing.plugin import LoomCli

RunCli = LoomCli


@pytest.fixture
def run_cli(loom_cli: LoomCli) -> LoomCli:
    """Return the ``loom`` command runner (an alias kept short for these tests)."""
    return loom_cli
