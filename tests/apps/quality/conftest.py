"""Fixtures of the quality tests: the shop floor's garment factory and its admin."""

from __future__ import annotations

from tests.modules.shopfloor.conftest import admin, factory_org

__all__ = ["admin", "factory_org"]
