"""Import every model module so that ``Base.metadata`` knows all tables."""

from __future__ import annotations

import importlib
from collections.abc import Iterable

KERNEL_MODELS = (
    "loom.kernel.tenancy.models",
    "loom.kernel.identity.models",
    "loom.kernel.audit.models",
    "loom.kernel.plugins.models",
)


def import_all_models(extra: Iterable[str] = ()) -> None:
    """Import the kernel's model modules and any extra ones (from apps)."""
    for name in (*KERNEL_MODELS, *extra):
        importlib.import_module(name)
