"""Tables of equipment management (prefixed ``equipment_``)."""

from __future__ import annotations

from loom.apps.equipment.models import maintenance, telemetry

__all__ = ["maintenance", "telemetry"]
