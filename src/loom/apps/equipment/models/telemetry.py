"""Tables of the equipment app's telemetry."""

from __future__ import annotations
