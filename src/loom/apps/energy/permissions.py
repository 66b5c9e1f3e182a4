"""Permissions of the energy app (enterprises only)."""

from __future__ import annotations

from loom.kernel.authz.registry import Permission

PERMISSIONS: tuple[Permission, ...] = ()
